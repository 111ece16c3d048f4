-- Outages, the bookings they affect, and the notifications queued for citizens.
-- Work for the worker is the outage row itself: desired_version > synced_version means "converge this
-- outage to its definition"; the worker that holds the lease (lease_owner, lease_until) does it.

CREATE TABLE incidents (
    id         TEXT NOT NULL CONSTRAINT pk_incidents PRIMARY KEY,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);

CREATE TABLE outages (
    id                 TEXT    NOT NULL CONSTRAINT pk_outages PRIMARY KEY,
    tenant_id          TEXT    NOT NULL CONSTRAINT fk_outages_tenant REFERENCES tenants (id),
    incident_id        TEXT    NULL CONSTRAINT fk_outages_incident REFERENCES incidents (id),
    start_utc          TEXT    NOT NULL,
    end_utc            TEXT    NULL,     -- NULL: open-ended until resolved
    covered_until_utc  TEXT    NOT NULL, -- bookings starting before this are in scope now (end, or the rolled day's end)
    reason             TEXT    NOT NULL,
    public_message     TEXT    NOT NULL,
    notify             INTEGER NOT NULL CONSTRAINT ck_outages_notify CHECK (notify IN (0, 1)),
    status             TEXT    NOT NULL CONSTRAINT ck_outages_status CHECK (status IN ('accepted', 'processing', 'active', 'resolved')),
    desired_version    INTEGER NOT NULL DEFAULT 1,
    synced_version     INTEGER NOT NULL DEFAULT 0,
    lease_owner        TEXT    NULL,
    lease_until        TEXT    NULL,
    processing_started_at TEXT NULL,
    processing_completed_at TEXT NULL,
    resolved_at        TEXT    NULL,
    created_at         TEXT    NOT NULL,
    created_by         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    CONSTRAINT ck_outages_window CHECK (end_utc IS NULL OR end_utc > start_utc OR resolved_at IS NOT NULL),
    CONSTRAINT ck_outages_versions CHECK (synced_version <= desired_version)
);
CREATE INDEX ix_outages_tenant_start ON outages (tenant_id, start_utc);
CREATE INDEX ix_outages_pending ON outages (synced_version, desired_version);

-- Scope: no 'office' rows = all offices; no 'service' rows = all services; 'exempt' services are never affected.
CREATE TABLE outage_scope (
    outage_id TEXT NOT NULL CONSTRAINT fk_outage_scope_outage REFERENCES outages (id),
    kind      TEXT NOT NULL CONSTRAINT ck_outage_scope_kind CHECK (kind IN ('office', 'service', 'exempt')),
    ref_id    TEXT NOT NULL,
    CONSTRAINT pk_outage_scope PRIMARY KEY (outage_id, kind, ref_id)
);

-- One row per booking an outage cancelled. contact and outcome are each in exactly one state, so the
-- stats invariants (affected = notified + unreachable + pending = open + rebooked + declined + reinstated)
-- hold for every committed state.
CREATE TABLE affected_bookings (
    id                 INTEGER NOT NULL CONSTRAINT pk_affected_bookings PRIMARY KEY,
    outage_id          TEXT    NOT NULL CONSTRAINT fk_affected_outage REFERENCES outages (id),
    booking_id         INTEGER NOT NULL CONSTRAINT fk_affected_booking REFERENCES bookings (id),
    tenant_id          TEXT    NOT NULL,
    office_id          TEXT    NOT NULL,
    service_id         TEXT    NOT NULL,
    start_utc          TEXT    NOT NULL,
    outcome            TEXT    NOT NULL DEFAULT 'open' CONSTRAINT ck_affected_outcome CHECK (outcome IN ('open', 'rebooked', 'declined', 'reinstated')),
    contact            TEXT    NOT NULL CONSTRAINT ck_affected_contact CHECK (contact IN ('pending', 'notified', 'delivered', 'unreachable')),
    unreachable_reason TEXT    NULL CONSTRAINT ck_affected_reason CHECK (unreachable_reason IN ('no-contact', 'failed')),
    new_booking_id     INTEGER NULL CONSTRAINT fk_affected_new_booking REFERENCES bookings (id),
    batch              TEXT    NOT NULL,
    created_at         TEXT    NOT NULL,
    updated_at         TEXT    NOT NULL,
    CONSTRAINT ck_affected_reason_set CHECK ((contact = 'unreachable') = (unreachable_reason IS NOT NULL))
);
-- A booking is cancelled by one outage at a time, however many overlap it.
CREATE UNIQUE INDEX ux_affected_booking ON affected_bookings (booking_id) WHERE outcome <> 'reinstated';
CREATE INDEX ix_affected_outage ON affected_bookings (outage_id, start_utc);
CREATE INDEX ix_affected_batch ON affected_bookings (batch);

-- Messages to citizens. dedupe_key makes "queue it" idempotent: one cancellation per booking and outage.
CREATE TABLE notifications (
    id            INTEGER NOT NULL CONSTRAINT pk_notifications PRIMARY KEY,
    tenant_id     TEXT    NOT NULL,
    booking_id    INTEGER NOT NULL CONSTRAINT fk_notifications_booking REFERENCES bookings (id),
    affected_id   INTEGER NULL CONSTRAINT fk_notifications_affected REFERENCES affected_bookings (id),
    kind          TEXT    NOT NULL CONSTRAINT ck_notifications_kind CHECK (kind IN ('cancellation', 'reinstatement', 'confirmation')),
    dedupe_key    TEXT    NOT NULL CONSTRAINT ux_notifications_dedupe UNIQUE,
    status        TEXT    NOT NULL CONSTRAINT ck_notifications_status CHECK (status IN ('queued', 'sending', 'accepted', 'delivered', 'undelivered', 'failed', 'withdrawn')),
    channel       TEXT    NULL CONSTRAINT ck_notifications_channel CHECK (channel IN ('sms', 'email', 'outbox')),
    priority_at   TEXT    NOT NULL, -- the appointment's start: the soonest are told first
    due_at        TEXT    NOT NULL,
    attempts      INTEGER NOT NULL DEFAULT 0,
    lease_owner   TEXT    NULL,
    lease_until   TEXT    NULL,
    provider_ref  TEXT    NULL,
    error_code    TEXT    NULL,
    last_error    TEXT    NULL,
    created_at    TEXT    NOT NULL,
    sent_at       TEXT    NULL,
    delivered_at  TEXT    NULL
);
CREATE INDEX ix_notifications_due ON notifications (status, priority_at);
CREATE INDEX ix_notifications_affected ON notifications (affected_id);
