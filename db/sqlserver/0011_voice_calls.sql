-- Voice calls to citizens whose only contact is a landline (or whose number refused SMS as not a mobile).
-- One row per call job: a cancellation call for an affected booking, or a reinstatement call for one that
-- was reached. affected_id has no foreign key on purpose: an untold affected row is deleted when an outage
-- shrinks, and a call still waiting for it is then withdrawn by the dialer instead of blocking the delete.
CREATE TABLE dbo.voice_calls (
    id           bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_voice_calls PRIMARY KEY,
    tenant_id    nvarchar(63)  NOT NULL,
    affected_id  bigint        NOT NULL,
    kind         nvarchar(16)  NOT NULL CONSTRAINT ck_voice_calls_kind CHECK (kind IN ('cancellation', 'reinstatement')),
    dedupe_key   nvarchar(100) NOT NULL CONSTRAINT ux_voice_calls_dedupe UNIQUE,
    status       nvarchar(16)  NOT NULL CONSTRAINT ck_voice_calls_status CHECK (status IN ('queued', 'calling', 'answered', 'machine', 'unreachable', 'withdrawn')),
    attempts     int           NOT NULL CONSTRAINT df_voice_calls_attempts DEFAULT 0,
    priority_at  datetime2(7)  NOT NULL,
    due_at       datetime2(7)  NOT NULL,
    lease_owner  nvarchar(200) NULL,
    lease_until  datetime2(7)  NULL,
    call_sid     nvarchar(64)  NULL,
    offer_index  int           NOT NULL CONSTRAINT df_voice_calls_offer_index DEFAULT 0,
    offered_slot bigint        NULL,
    silences     int           NOT NULL CONSTRAINT df_voice_calls_silences DEFAULT 0,
    last_result  nvarchar(32)  NULL,
    last_call_at datetime2(7)  NULL,
    created_at   datetime2(7)  NOT NULL,
    updated_at   datetime2(7)  NOT NULL
);
CREATE INDEX ix_voice_calls_due ON dbo.voice_calls (status, priority_at);
CREATE INDEX ix_voice_calls_affected ON dbo.voice_calls (affected_id);
CREATE INDEX ix_voice_calls_sid ON dbo.voice_calls (call_sid);
