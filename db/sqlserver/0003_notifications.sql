-- What the dispatcher needs: personal links (hash only), the record of an attempt whose outcome is not
-- known yet (in_flight, body_hash: reconciled with the provider before any resend), the development
-- outbox, and seen provider callbacks (they arrive twice and out of order).

CREATE TABLE dbo.rebooking_links (
    token_hash      varbinary(32) NOT NULL CONSTRAINT pk_rebooking_links PRIMARY KEY,
    affected_id     bigint        NOT NULL CONSTRAINT fk_links_affected REFERENCES dbo.affected_bookings (id),
    notification_id bigint        NULL CONSTRAINT fk_links_notification REFERENCES dbo.notifications (id),
    expires_at      datetime2(7)  NOT NULL,
    created_at      datetime2(7)  NOT NULL
);
CREATE INDEX ix_links_affected ON dbo.rebooking_links (affected_id);

ALTER TABLE dbo.notifications ADD in_flight bit NOT NULL CONSTRAINT df_notifications_in_flight DEFAULT 0;
ALTER TABLE dbo.notifications ADD recipient_masked nvarchar(254) NULL;
ALTER TABLE dbo.notifications ADD body_hash varbinary(32) NULL;
ALTER TABLE dbo.notifications ADD attempted_at datetime2(7) NULL;
GO
CREATE INDEX ix_notifications_provider_ref ON dbo.notifications (provider_ref);
CREATE INDEX ix_notifications_lease ON dbo.notifications (status, lease_until);

CREATE TABLE dbo.dev_outbox (
    id         bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_dev_outbox PRIMARY KEY,
    channel    nvarchar(8)    NOT NULL CONSTRAINT ck_dev_outbox_channel CHECK (channel IN ('sms', 'email')),
    recipient  nvarchar(254)  NOT NULL,
    subject    nvarchar(300)  NULL,
    body       nvarchar(max)  NOT NULL,
    created_at datetime2(7)   NOT NULL
);

CREATE TABLE dbo.provider_events (
    provider_ref nvarchar(64) NOT NULL,
    status       nvarchar(16) NOT NULL,
    received_at  datetime2(7) NOT NULL,
    CONSTRAINT pk_provider_events PRIMARY KEY (provider_ref, status)
);
