-- Telling the appointment system what changed (contract v2): every change this service makes to a booking
-- is one row of booking_changes, written in the transaction of the change; webhooks receive them through
-- webhook_deliveries; and API keys get the `integration` role.

-- The change feed. AUTOINCREMENT: an id is never reused, even after retention removed the newest rows, so a
-- client's cursor never points at a later change. SQLite has one writer at a time, so ids are handed out in
-- commit order and a reader never sees id n+1 before id n has committed.
-- No names or contact data: references, outage, times.
CREATE TABLE booking_changes (
    id              INTEGER NOT NULL CONSTRAINT pk_booking_changes PRIMARY KEY AUTOINCREMENT,
    tenant_id       TEXT    NOT NULL,
    type            TEXT    NOT NULL CONSTRAINT ck_booking_changes_type
                        CHECK (type IN ('booking.cancelled', 'booking.reinstated', 'booking.rebooked', 'booking.declined')),
    occurred_at     TEXT    NOT NULL,
    booking_id      INTEGER NOT NULL,
    booking_ref     TEXT    NOT NULL,
    outage_id       TEXT    NULL,
    new_booking_ref TEXT    NULL,
    new_office_id   TEXT    NULL,
    new_service_id  TEXT    NULL,
    new_start_utc   TEXT    NULL,
    new_end_utc     TEXT    NULL,
    CONSTRAINT ck_booking_changes_new CHECK ((type = 'booking.rebooked') = (new_booking_ref IS NOT NULL))
);
CREATE INDEX ix_booking_changes_tenant ON booking_changes (tenant_id, id);
CREATE INDEX ix_booking_changes_occurred ON booking_changes (occurred_at);

-- A tenant's receivers. The secret is kept (not hashed) because it signs every delivery.
-- fanned_through: the position of the last change copied into webhook_deliveries for this webhook.
-- failing_since: the first failure since the last success; three days of it disable the webhook.
CREATE TABLE webhooks (
    id                   TEXT    NOT NULL CONSTRAINT pk_webhooks PRIMARY KEY,
    tenant_id            TEXT    NOT NULL CONSTRAINT fk_webhooks_tenant REFERENCES tenants (id),
    url                  TEXT    NOT NULL,
    description          TEXT    NULL,
    secret               TEXT    NOT NULL,
    status               TEXT    NOT NULL CONSTRAINT ck_webhooks_status CHECK (status IN ('active', 'disabled')),
    fanned_through       INTEGER NOT NULL DEFAULT 0,
    consecutive_failures INTEGER NOT NULL DEFAULT 0,
    failing_since        TEXT    NULL,
    retry_at             TEXT    NULL,
    disabled_at          TEXT    NULL,
    created_at           TEXT    NOT NULL,
    created_by           TEXT    NOT NULL
);
CREATE INDEX ix_webhooks_tenant ON webhooks (tenant_id);

-- One row per change and webhook: the durable record of its delivery. A worker holds a row while it sends
-- (lease_owner, lease_until); a killed worker's lease runs out and the row is sent again, with the same
-- webhook-id. position is the change's feed position: deliveries of one booking go out in its order.
CREATE TABLE webhook_deliveries (
    id               INTEGER NOT NULL CONSTRAINT pk_webhook_deliveries PRIMARY KEY,
    webhook_id       TEXT    NOT NULL CONSTRAINT fk_webhook_deliveries_webhook REFERENCES webhooks (id) ON DELETE CASCADE,
    change_id        INTEGER NOT NULL CONSTRAINT fk_webhook_deliveries_change REFERENCES booking_changes (id),
    position         INTEGER NOT NULL,
    booking_id       INTEGER NOT NULL,
    status           TEXT    NOT NULL CONSTRAINT ck_webhook_deliveries_status CHECK (status IN ('pending', 'delivered')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    last_status_code INTEGER NULL,
    last_error       TEXT    NULL,
    last_attempt_at  TEXT    NULL,
    next_attempt_at  TEXT    NOT NULL,
    lease_owner      TEXT    NULL,
    lease_until      TEXT    NULL,
    delivered_at     TEXT    NULL,
    created_at       TEXT    NOT NULL,
    CONSTRAINT ux_webhook_deliveries_change UNIQUE (webhook_id, change_id)
);
CREATE INDEX ix_webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX ix_webhook_deliveries_booking ON webhook_deliveries (webhook_id, booking_id, position);
CREATE INDEX ix_webhook_deliveries_change ON webhook_deliveries (change_id);

-- The integration role: SQLite cannot change a CHECK constraint in place, so the table is rebuilt.
CREATE TABLE api_keys_new (
    id           TEXT NOT NULL CONSTRAINT pk_api_keys PRIMARY KEY,
    key_hash     BLOB NOT NULL,
    role         TEXT NOT NULL CONSTRAINT ck_api_keys_role CHECK (role IN ('admin', 'clerk', 'supervisor', 'integration')),
    tenant_id    TEXT NOT NULL,
    label        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NULL,
    last_used_at TEXT NULL,
    revoked_at   TEXT NULL,
    CONSTRAINT ck_api_keys_all_tenants CHECK (tenant_id <> '*' OR role = 'admin')
);
INSERT INTO api_keys_new (id, key_hash, role, tenant_id, label, created_at, created_by, last_used_at, revoked_at)
SELECT id, key_hash, role, tenant_id, label, created_at, created_by, last_used_at, revoked_at FROM api_keys;
DROP TABLE api_keys;
ALTER TABLE api_keys_new RENAME TO api_keys;
