-- What the dispatcher needs: personal links (hash only), the record of an attempt whose outcome is not
-- known yet (in_flight, body_hash: reconciled with the provider before any resend), the development
-- outbox, and seen provider callbacks (they arrive twice and out of order).

CREATE TABLE rebooking_links (
    token_hash      BLOB    NOT NULL CONSTRAINT pk_rebooking_links PRIMARY KEY,
    affected_id     INTEGER NOT NULL CONSTRAINT fk_links_affected REFERENCES affected_bookings (id),
    notification_id INTEGER NULL CONSTRAINT fk_links_notification REFERENCES notifications (id),
    expires_at      TEXT    NOT NULL,
    created_at      TEXT    NOT NULL
);
CREATE INDEX ix_links_affected ON rebooking_links (affected_id);

ALTER TABLE notifications ADD COLUMN in_flight INTEGER NOT NULL DEFAULT 0;
ALTER TABLE notifications ADD COLUMN recipient_masked TEXT NULL;
ALTER TABLE notifications ADD COLUMN body_hash BLOB NULL;
ALTER TABLE notifications ADD COLUMN attempted_at TEXT NULL;
CREATE INDEX ix_notifications_provider_ref ON notifications (provider_ref);
CREATE INDEX ix_notifications_lease ON notifications (status, lease_until);

CREATE TABLE dev_outbox (
    id         INTEGER NOT NULL CONSTRAINT pk_dev_outbox PRIMARY KEY,
    channel    TEXT    NOT NULL CONSTRAINT ck_dev_outbox_channel CHECK (channel IN ('sms', 'email')),
    recipient  TEXT    NOT NULL,
    subject    TEXT    NULL,
    body       TEXT    NOT NULL,
    created_at TEXT    NOT NULL
);

CREATE TABLE provider_events (
    provider_ref TEXT NOT NULL,
    status       TEXT NOT NULL,
    received_at  TEXT NOT NULL,
    CONSTRAINT pk_provider_events PRIMARY KEY (provider_ref, status)
);
