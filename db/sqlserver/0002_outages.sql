-- Outages, the bookings they affect, and the notifications queued for citizens.
-- Work for the worker is the outage row itself: desired_version > synced_version means "converge this
-- outage to its definition"; the worker that holds the lease (lease_owner, lease_until) does it.

CREATE TABLE dbo.incidents (
    id         uniqueidentifier NOT NULL CONSTRAINT pk_incidents PRIMARY KEY,
    created_at datetime2(7)     NOT NULL,
    created_by nvarchar(200)    NOT NULL
);

CREATE TABLE dbo.outages (
    id                 uniqueidentifier NOT NULL CONSTRAINT pk_outages PRIMARY KEY,
    tenant_id          nvarchar(63)     NOT NULL CONSTRAINT fk_outages_tenant REFERENCES dbo.tenants (id),
    incident_id        uniqueidentifier NULL CONSTRAINT fk_outages_incident REFERENCES dbo.incidents (id),
    start_utc          datetime2(7)     NOT NULL,
    end_utc            datetime2(7)     NULL,     -- NULL: open-ended until resolved
    covered_until_utc  datetime2(7)     NOT NULL, -- bookings starting before this are in scope now
    reason             nvarchar(500)    NOT NULL,
    public_message     nvarchar(500)    NOT NULL,
    notify             bit              NOT NULL,
    status             nvarchar(16)     NOT NULL CONSTRAINT ck_outages_status CHECK (status IN ('accepted', 'processing', 'active', 'resolved')),
    desired_version    int              NOT NULL CONSTRAINT df_outages_desired DEFAULT 1,
    synced_version     int              NOT NULL CONSTRAINT df_outages_synced DEFAULT 0,
    lease_owner        nvarchar(200)    NULL,
    lease_until        datetime2(7)     NULL,
    processing_started_at datetime2(7)  NULL,
    processing_completed_at datetime2(7) NULL,
    resolved_at        datetime2(7)     NULL,
    created_at         datetime2(7)     NOT NULL,
    created_by         nvarchar(200)    NOT NULL,
    updated_at         datetime2(7)     NOT NULL,
    CONSTRAINT ck_outages_window CHECK (end_utc IS NULL OR end_utc > start_utc OR resolved_at IS NOT NULL),
    CONSTRAINT ck_outages_versions CHECK (synced_version <= desired_version)
);
CREATE INDEX ix_outages_tenant_start ON dbo.outages (tenant_id, start_utc);
CREATE INDEX ix_outages_pending ON dbo.outages (synced_version, desired_version);

-- Scope: no 'office' rows = all offices; no 'service' rows = all services; 'exempt' services are never affected.
CREATE TABLE dbo.outage_scope (
    outage_id uniqueidentifier NOT NULL CONSTRAINT fk_outage_scope_outage REFERENCES dbo.outages (id),
    kind      nvarchar(8)      NOT NULL CONSTRAINT ck_outage_scope_kind CHECK (kind IN ('office', 'service', 'exempt')),
    ref_id    nvarchar(64)     NOT NULL,
    CONSTRAINT pk_outage_scope PRIMARY KEY (outage_id, kind, ref_id)
);

-- One row per booking an outage cancelled. contact and outcome are each in exactly one state, so the
-- stats invariants hold for every committed state.
CREATE TABLE dbo.affected_bookings (
    id                 bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_affected_bookings PRIMARY KEY,
    outage_id          uniqueidentifier NOT NULL CONSTRAINT fk_affected_outage REFERENCES dbo.outages (id),
    booking_id         bigint           NOT NULL CONSTRAINT fk_affected_booking REFERENCES dbo.bookings (id),
    tenant_id          nvarchar(63)     NOT NULL,
    office_id          nvarchar(64)     NOT NULL,
    service_id         nvarchar(64)     NOT NULL,
    start_utc          datetime2(7)     NOT NULL,
    outcome            nvarchar(12)     NOT NULL CONSTRAINT df_affected_outcome DEFAULT 'open' CONSTRAINT ck_affected_outcome CHECK (outcome IN ('open', 'rebooked', 'declined', 'reinstated')),
    contact            nvarchar(12)     NOT NULL CONSTRAINT ck_affected_contact CHECK (contact IN ('pending', 'notified', 'delivered', 'unreachable')),
    unreachable_reason nvarchar(12)     NULL CONSTRAINT ck_affected_reason CHECK (unreachable_reason IN ('no-contact', 'failed')),
    new_booking_id     bigint           NULL CONSTRAINT fk_affected_new_booking REFERENCES dbo.bookings (id),
    batch              uniqueidentifier NOT NULL,
    created_at         datetime2(7)     NOT NULL,
    updated_at         datetime2(7)     NOT NULL,
    CONSTRAINT ck_affected_reason_set CHECK ((contact = 'unreachable' AND unreachable_reason IS NOT NULL) OR (contact <> 'unreachable' AND unreachable_reason IS NULL))
);
-- A booking is cancelled by one outage at a time, however many overlap it.
CREATE UNIQUE INDEX ux_affected_booking ON dbo.affected_bookings (booking_id) WHERE outcome <> 'reinstated';
CREATE INDEX ix_affected_outage ON dbo.affected_bookings (outage_id, start_utc);
CREATE INDEX ix_affected_batch ON dbo.affected_bookings (batch);

-- Messages to citizens. dedupe_key makes "queue it" idempotent: one cancellation per booking and outage.
CREATE TABLE dbo.notifications (
    id            bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_notifications PRIMARY KEY,
    tenant_id     nvarchar(63)  NOT NULL,
    booking_id    bigint        NOT NULL CONSTRAINT fk_notifications_booking REFERENCES dbo.bookings (id),
    affected_id   bigint        NULL CONSTRAINT fk_notifications_affected REFERENCES dbo.affected_bookings (id),
    kind          nvarchar(16)  NOT NULL CONSTRAINT ck_notifications_kind CHECK (kind IN ('cancellation', 'reinstatement', 'confirmation')),
    dedupe_key    nvarchar(120) NOT NULL CONSTRAINT ux_notifications_dedupe UNIQUE,
    status        nvarchar(12)  NOT NULL CONSTRAINT ck_notifications_status CHECK (status IN ('queued', 'sending', 'accepted', 'delivered', 'undelivered', 'failed', 'withdrawn')),
    channel       nvarchar(8)   NULL CONSTRAINT ck_notifications_channel CHECK (channel IN ('sms', 'email', 'outbox')),
    priority_at   datetime2(7)  NOT NULL, -- the appointment's start: the soonest are told first
    due_at        datetime2(7)  NOT NULL,
    attempts      int           NOT NULL CONSTRAINT df_notifications_attempts DEFAULT 0,
    lease_owner   nvarchar(200) NULL,
    lease_until   datetime2(7)  NULL,
    provider_ref  nvarchar(64)  NULL,
    error_code    nvarchar(16)  NULL,
    last_error    nvarchar(500) NULL,
    created_at    datetime2(7)  NOT NULL,
    sent_at       datetime2(7)  NULL,
    delivered_at  datetime2(7)  NULL
);
CREATE INDEX ix_notifications_due ON dbo.notifications (status, priority_at);
CREATE INDEX ix_notifications_affected ON dbo.notifications (affected_id);
