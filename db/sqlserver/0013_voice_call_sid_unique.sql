-- A CallSid belongs to one attempt of one call. Since an attempt whose create went unanswered adopts the CallSid
-- that Twilio's first signed request (or Twilio's list of calls) brings, the statement that adopts it checks that
-- no other call holds it, and this index makes that a constraint: two calls can never both take the same CallSid.
CREATE UNIQUE INDEX ux_voice_calls_call_sid ON dbo.voice_calls (call_sid) WHERE call_sid IS NOT NULL;
DROP INDEX ix_voice_calls_sid ON dbo.voice_calls;
