-- Citizens in their own language, and a link that stays theirs after rebooking (issue 17).
-- outage_messages: the public message in other languages than German (outages.public_message stays the
-- German one and stays required). bookings.revision: how often a rebooked appointment was changed or
-- cancelled through the citizen's link; the .ics SEQUENCE, and the guard of a change (two tabs, one wins).

CREATE TABLE dbo.outage_messages (
    outage_id uniqueidentifier NOT NULL CONSTRAINT fk_outage_messages_outage REFERENCES dbo.outages (id),
    language  nvarchar(8)      NOT NULL CONSTRAINT ck_outage_messages_language CHECK (language IN ('en', 'tr', 'uk', 'ar')),
    message   nvarchar(500)    NOT NULL,
    CONSTRAINT pk_outage_messages PRIMARY KEY (outage_id, language)
);

ALTER TABLE dbo.bookings ADD revision int NOT NULL CONSTRAINT df_bookings_revision DEFAULT 0
    CONSTRAINT ck_bookings_revision CHECK (revision >= 0);
