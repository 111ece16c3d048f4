-- Voice calls to citizens whose only contact is a landline (or whose number refused SMS as not a mobile).
-- One row per call job: a cancellation call for an affected booking, or a reinstatement call for one that
-- was reached. affected_id has no foreign key on purpose: an untold affected row is deleted when an outage
-- shrinks, and a call still waiting for it is then withdrawn by the dialer instead of blocking the delete.
-- status: queued (due_at says when), calling (call_sid set, Twilio is ringing), answered (a human listened),
-- machine (a message was left), unreachable (every attempt was busy, unanswered or failed), withdrawn.
CREATE TABLE voice_calls (
    id           INTEGER NOT NULL CONSTRAINT pk_voice_calls PRIMARY KEY,
    tenant_id    TEXT    NOT NULL,
    affected_id  INTEGER NOT NULL,
    kind         TEXT    NOT NULL CONSTRAINT ck_voice_calls_kind CHECK (kind IN ('cancellation', 'reinstatement')),
    dedupe_key   TEXT    NOT NULL CONSTRAINT ux_voice_calls_dedupe UNIQUE,
    status       TEXT    NOT NULL CONSTRAINT ck_voice_calls_status CHECK (status IN ('queued', 'calling', 'answered', 'machine', 'unreachable', 'withdrawn')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    priority_at  TEXT    NOT NULL, -- the appointment's start: the soonest are called first
    due_at       TEXT    NOT NULL,
    lease_owner  TEXT    NULL,
    lease_until  TEXT    NULL,
    call_sid     TEXT    NULL,
    offer_index  INTEGER NOT NULL DEFAULT 0,
    offered_slot INTEGER NULL,     -- the slot the citizen last heard offered: key 1 books exactly this one
    silences     INTEGER NOT NULL DEFAULT 0,
    last_result  TEXT    NULL,     -- Twilio's last word: human, machine, busy, no-answer, failed, canceled, completed
    last_call_at TEXT    NULL,
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL
);
CREATE INDEX ix_voice_calls_due ON voice_calls (status, priority_at);
CREATE INDEX ix_voice_calls_affected ON voice_calls (affected_id);
CREATE INDEX ix_voice_calls_sid ON voice_calls (call_sid);
