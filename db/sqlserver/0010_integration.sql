-- Telling the appointment system what changed (contract v2): every change this service makes to a booking
-- is one row of booking_changes, written in the transaction of the change; webhooks receive them through
-- webhook_deliveries; and API keys get the `integration` role.

-- The change feed. An identity value is taken when a row is inserted, not when it commits, so a change
-- committed later can carry a lower id than one a reader has already seen. The feed therefore orders by
-- position (rowversion, also assigned at write time) and returns only rows below MIN_ACTIVE_ROWVERSION():
-- every position below it belongs to a committed or rolled-back transaction, so nothing can appear there
-- later. Rows are never updated, so a position never moves. No names or contact data.
CREATE TABLE dbo.booking_changes (
    id              bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_booking_changes PRIMARY KEY,
    position        rowversion       NOT NULL,
    tenant_id       nvarchar(63)     NOT NULL,
    type            nvarchar(32)     NOT NULL CONSTRAINT ck_booking_changes_type
                        CHECK (type IN ('booking.cancelled', 'booking.reinstated', 'booking.rebooked', 'booking.declined')),
    occurred_at     datetime2(7)     NOT NULL,
    booking_id      bigint           NOT NULL,
    booking_ref     nvarchar(100)    NOT NULL,
    outage_id       uniqueidentifier NULL,
    new_booking_ref nvarchar(100)    NULL,
    new_office_id   nvarchar(64)     NULL,
    new_service_id  nvarchar(64)     NULL,
    new_start_utc   datetime2(7)     NULL,
    new_end_utc     datetime2(7)     NULL,
    CONSTRAINT ck_booking_changes_new CHECK ((type = 'booking.rebooked' AND new_booking_ref IS NOT NULL) OR (type <> 'booking.rebooked' AND new_booking_ref IS NULL))
);
CREATE UNIQUE INDEX ux_booking_changes_tenant_position ON dbo.booking_changes (tenant_id, position);
CREATE INDEX ix_booking_changes_occurred ON dbo.booking_changes (occurred_at);

-- A tenant's receivers. The secret is kept (not hashed) because it signs every delivery.
-- fanned_through: the position of the last change copied into webhook_deliveries for this webhook.
-- failing_since: the first failure since the last success; three days of it disable the webhook.
CREATE TABLE dbo.webhooks (
    id                   uniqueidentifier NOT NULL CONSTRAINT pk_webhooks PRIMARY KEY,
    tenant_id            nvarchar(63)     NOT NULL CONSTRAINT fk_webhooks_tenant REFERENCES dbo.tenants (id),
    url                  nvarchar(2000)   NOT NULL,
    description          nvarchar(200)    NULL,
    secret               nvarchar(100)    NOT NULL,
    status               nvarchar(16)     NOT NULL CONSTRAINT ck_webhooks_status CHECK (status IN ('active', 'disabled')),
    fanned_through       bigint           NOT NULL CONSTRAINT df_webhooks_fanned DEFAULT 0,
    consecutive_failures int              NOT NULL CONSTRAINT df_webhooks_failures DEFAULT 0,
    failing_since        datetime2(7)     NULL,
    retry_at             datetime2(7)     NULL,
    disabled_at          datetime2(7)     NULL,
    created_at           datetime2(7)     NOT NULL,
    created_by           nvarchar(200)    NOT NULL
);
CREATE INDEX ix_webhooks_tenant ON dbo.webhooks (tenant_id);

-- One row per change and webhook: the durable record of its delivery. A worker holds a row while it sends
-- (lease_owner, lease_until); a killed worker's lease runs out and the row is sent again, with the same
-- webhook-id. position is the change's feed position (as bigint): deliveries of one booking go out in its order.
CREATE TABLE dbo.webhook_deliveries (
    id               bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_webhook_deliveries PRIMARY KEY,
    webhook_id       uniqueidentifier NOT NULL CONSTRAINT fk_webhook_deliveries_webhook REFERENCES dbo.webhooks (id) ON DELETE CASCADE,
    change_id        bigint           NOT NULL CONSTRAINT fk_webhook_deliveries_change REFERENCES dbo.booking_changes (id),
    position         bigint           NOT NULL,
    booking_id       bigint           NOT NULL,
    status           nvarchar(16)     NOT NULL CONSTRAINT ck_webhook_deliveries_status CHECK (status IN ('pending', 'delivered')),
    attempts         int              NOT NULL CONSTRAINT df_webhook_deliveries_attempts DEFAULT 0,
    last_status_code int              NULL,
    last_error       nvarchar(200)    NULL,
    last_attempt_at  datetime2(7)     NULL,
    next_attempt_at  datetime2(7)     NOT NULL,
    lease_owner      nvarchar(200)    NULL,
    lease_until      datetime2(7)     NULL,
    delivered_at     datetime2(7)     NULL,
    created_at       datetime2(7)     NOT NULL,
    CONSTRAINT ux_webhook_deliveries_change UNIQUE (webhook_id, change_id)
);
CREATE INDEX ix_webhook_deliveries_due ON dbo.webhook_deliveries (status, next_attempt_at);
CREATE INDEX ix_webhook_deliveries_booking ON dbo.webhook_deliveries (webhook_id, booking_id, position);
CREATE INDEX ix_webhook_deliveries_change ON dbo.webhook_deliveries (change_id);

-- The integration role.
ALTER TABLE dbo.api_keys DROP CONSTRAINT ck_api_keys_role;
ALTER TABLE dbo.api_keys ADD CONSTRAINT ck_api_keys_role CHECK (role IN ('admin', 'clerk', 'supervisor', 'integration'));
