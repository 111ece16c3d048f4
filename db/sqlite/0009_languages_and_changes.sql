-- Citizens in their own language, and a link that stays theirs after rebooking (issue 17).
-- outage_messages: the public message in other languages than German (outages.public_message stays the
-- German one and stays required). bookings.revision: how often a rebooked appointment was changed or
-- cancelled through the citizen's link; the .ics SEQUENCE, and the guard of a change (two tabs, one wins).

CREATE TABLE outage_messages (
    outage_id TEXT NOT NULL CONSTRAINT fk_outage_messages_outage REFERENCES outages (id),
    language  TEXT NOT NULL CONSTRAINT ck_outage_messages_language CHECK (language IN ('en', 'tr', 'uk', 'ar')),
    message   TEXT NOT NULL,
    CONSTRAINT pk_outage_messages PRIMARY KEY (outage_id, language)
);

ALTER TABLE bookings ADD COLUMN revision INTEGER NOT NULL DEFAULT 0 CONSTRAINT ck_bookings_revision CHECK (revision >= 0);
