using Rebooking.Data;

namespace Rebooking.Voice;

/// <summary>
/// The voice channel's statements. Every change of a call is guarded in its WHERE clause (the lease for the
/// dialer, the CallSid and the expected status for Twilio's requests), so a repeated or late request changes
/// nothing and the affected row count is the answer.
/// </summary>
public static class VoiceSql
{
    // Queues the cancellation call for an affected booking, soonest appointment first; the dedupe key makes a
    // repeated hand-over harmless.
    public const string QueueCancellation = """
        INSERT INTO voice_calls (tenant_id, affected_id, kind, dedupe_key, status, attempts, priority_at, due_at, created_at, updated_at)
        SELECT a.tenant_id, a.id, 'cancellation', CONCAT('cancellation:', a.id), 'queued', 0, a.start_utc, @Now, @Now, @Now
        FROM affected_bookings a
        WHERE a.id = @AffectedId AND NOT EXISTS (SELECT 1 FROM voice_calls WHERE dedupe_key = CONCAT('cancellation:', a.id))
        """;

    // A transient refusal (rate limit, credentials) placed no call: the attempt does not count.
    public const string Requeue = """
        UPDATE voice_calls SET status = 'queued', attempts = attempts - 1, due_at = @DueAt, lease_owner = NULL, lease_until = NULL, updated_at = @Now
        WHERE id = @Id AND lease_owner = @Owner AND status = 'calling' AND call_sid IS NULL
        """;

    /// <summary>Affected rows an outage found no SMS or e-mail for, whose phone is a landline (filter on top of a scope).</summary>
    const string LandlineOnly = """
        a.contact = 'unreachable' AND a.unreachable_reason = 'no-contact' AND a.outcome = 'open'
        AND EXISTS (SELECT 1 FROM bookings b WHERE b.id = a.booking_id AND b.phone_kind = 'landline')
        """;

    // The landline-only citizens of an outage batch (@Batch) or of a whole outage (@OutageId, after notify was turned on)
    // get a call instead of staying unreachable; queued in the outage's transaction, soonest first.
    public const string QueueLandlines = $"""
        INSERT INTO voice_calls (tenant_id, affected_id, kind, dedupe_key, status, attempts, priority_at, due_at, created_at, updated_at)
        SELECT a.tenant_id, a.id, 'cancellation', CONCAT('cancellation:', a.id), 'queued', 0, a.start_utc, @Now, @Now, @Now
        FROM affected_bookings a
        WHERE (a.batch = @Batch OR a.outage_id = @OutageId) AND {LandlineOnly}
          AND NOT EXISTS (SELECT 1 FROM voice_calls c WHERE c.dedupe_key = CONCAT('cancellation:', a.id))
        """;

    // ...and they are pending again: someone is about to try to reach them.
    public const string PendLandlines = """
        UPDATE affected_bookings SET contact = 'pending', unreachable_reason = NULL, updated_at = @Now
        WHERE (batch = @Batch OR outage_id = @OutageId)
          AND contact = 'unreachable' AND unreachable_reason = 'no-contact' AND outcome = 'open'
          AND EXISTS (SELECT 1 FROM voice_calls c WHERE c.affected_id = affected_bookings.id AND c.kind = 'cancellation' AND c.status = 'queued')
        """;

    // A citizen who was reached by phone (a human listened or a message was left) and whose booking was reinstated
    // hears so by phone too; once per affected booking.
    public const string QueueReinstatements = """
        INSERT INTO voice_calls (tenant_id, affected_id, kind, dedupe_key, status, attempts, priority_at, due_at, created_at, updated_at)
        SELECT c.tenant_id, c.affected_id, 'reinstatement', CONCAT('reinstatement:', c.affected_id), 'queued', 0, a.start_utc, @Now, @Now, @Now
        FROM voice_calls c JOIN affected_bookings a ON a.id = c.affected_id
        WHERE c.kind = 'cancellation' AND c.status IN ('answered', 'machine') AND a.outcome = 'reinstated'
          AND NOT EXISTS (SELECT 1 FROM voice_calls r WHERE r.dedupe_key = CONCAT('reinstatement:', c.affected_id))
        """;

    // Takes the due calls, soonest appointment first, under a lease; a claimed call no other dialer touches.
    public static readonly DialectSql Claim = new(
        Sqlite: """
            UPDATE voice_calls SET lease_owner = @Owner, lease_until = @LeaseUntil
            WHERE id IN (
                SELECT id FROM voice_calls
                WHERE status = 'queued' AND due_at <= @Now AND (lease_until IS NULL OR lease_until < @Now)
                ORDER BY priority_at, id LIMIT @BatchSize)
            """,
        SqlServer: """
            WITH due AS (
                SELECT TOP (@BatchSize) * FROM voice_calls WITH (UPDLOCK, READPAST, ROWLOCK)
                WHERE status = 'queued' AND due_at <= @Now AND (lease_until IS NULL OR lease_until < @Now)
                ORDER BY priority_at, id)
            UPDATE due SET lease_owner = @Owner, lease_until = @LeaseUntil;
            """);

    // What the dialer needs about each claimed call; the affected columns are NULL when that row is gone.
    public const string SelectClaimed = """
        SELECT c.id AS Id, c.tenant_id AS TenantId, c.affected_id AS AffectedId, c.kind AS Kind, c.attempts AS Attempts,
               a.outcome AS Outcome, a.contact AS Contact, b.phone AS Phone, t.time_zone AS TimeZone
        FROM voice_calls c
        LEFT JOIN affected_bookings a ON a.id = c.affected_id AND a.tenant_id = c.tenant_id
        LEFT JOIN bookings b ON b.id = a.booking_id
        LEFT JOIN tenants t ON t.id = c.tenant_id
        WHERE c.lease_owner = @Owner AND c.status = 'queued'
        ORDER BY c.priority_at, c.id
        """;

    public const string Defer = """
        UPDATE voice_calls SET due_at = @DueAt, lease_owner = NULL, lease_until = NULL, updated_at = @Now
        WHERE id = @Id AND lease_owner = @Owner AND status = 'queued'
        """;

    public const string Withdraw = """
        UPDATE voice_calls SET status = 'withdrawn', lease_owner = NULL, lease_until = NULL, updated_at = @Now
        WHERE id = @Id AND lease_owner = @Owner AND status = 'queued'
        """;

    // The attempt starts: counted before Twilio is asked, so a crash never hides an attempt.
    public const string MarkCalling = """
        UPDATE voice_calls SET status = 'calling', attempts = attempts + 1, call_sid = NULL, offer_index = 0, offered_slot = NULL, silences = 0,
               last_call_at = @Now, lease_until = @LeaseUntil, updated_at = @Now
        WHERE id = @Id AND lease_owner = @Owner AND status = 'queued'
        """;

    // Twilio accepted the call: its CallSid, unless a request of Twilio's already brought another one (never replaced).
    public const string SetSid = """
        UPDATE voice_calls SET call_sid = @CallSid, lease_owner = NULL, lease_until = NULL, updated_at = @Now
        WHERE id = @Id AND lease_owner = @Owner AND status = 'calling' AND (call_sid IS NULL OR call_sid = @CallSid)
        """;

    // Twilio's answer to the create was lost (timeout, dropped connection, a 5xx without a body): the call may ring.
    // The attempt stays 'calling' without a CallSid, and the dialer lets go of it: Twilio's first signed request for
    // this call id brings the CallSid (AdoptSid), or after Voice:CallTimeout the dialer asks Twilio (SelectLost).
    public const string AwaitTwilio = """
        UPDATE voice_calls SET lease_owner = NULL, lease_until = NULL, updated_at = @Now
        WHERE id = @Id AND lease_owner = @Owner AND status = 'calling'
        """;

    // A CallSid for an attempt that has none yet (its create went unanswered), from a signed request of Twilio's for
    // our call id or from Twilio's list of calls. Never replaces a CallSid, never takes one another call already holds.
    public const string AdoptSid = """
        UPDATE voice_calls SET call_sid = @CallSid, updated_at = @Now
        WHERE id = @Id AND status = 'calling' AND call_sid IS NULL
          AND NOT EXISTS (SELECT 1 FROM voice_calls o WHERE o.call_sid = @CallSid)
        """;

    // A reconciled call that Twilio still shows ringing or in progress: its final status gets another Voice:CallTimeout
    // (SelectLost skips a call whose lease_until lies ahead).
    public const string WaitForStatus = """
        UPDATE voice_calls SET lease_until = @WaitUntil, updated_at = @Now
        WHERE id = @Id AND call_sid = @CallSid AND status = 'calling'
        """;

    // One call of this process: found by our id and Twilio's CallSid together, never by anything a citizen holds.
    public const string Find = """
        SELECT c.id AS Id, c.tenant_id AS TenantId, c.affected_id AS AffectedId, c.kind AS Kind, c.status AS Status,
               c.attempts AS Attempts, c.offer_index AS OfferIndex, c.offered_slot AS OfferedSlot, c.silences AS Silences, c.call_sid AS CallSid
        FROM voice_calls c WHERE c.id = @Id AND c.call_sid = @CallSid
        """;

    // A human or a machine picked up: the call is no longer ringing.
    public const string MarkPickedUp = """
        UPDATE voice_calls SET status = @Status, last_result = @Result, updated_at = @Now
        WHERE id = @Id AND call_sid = @CallSid AND status = 'calling'
        """;

    public const string SetOffer = """
        UPDATE voice_calls SET offer_index = @OfferIndex, offered_slot = @OfferedSlot, updated_at = @Now
        WHERE id = @Id AND call_sid = @CallSid AND status = 'answered'
        """;

    public const string CountSilence = """
        UPDATE voice_calls SET silences = silences + 1, updated_at = @Now
        WHERE id = @Id AND call_sid = @CallSid AND status = 'answered'
        """;

    // Busy, no answer, failed: back to the queue for a later attempt (the attempt was counted when it started).
    public const string Retry = """
        UPDATE voice_calls SET status = 'queued', due_at = @DueAt, last_result = @Result, lease_owner = NULL, lease_until = NULL, updated_at = @Now
        WHERE id = @Id AND status = 'calling' AND (call_sid = @CallSid OR (call_sid IS NULL AND @CallSid IS NULL))
        """;

    public const string GiveUp = """
        UPDATE voice_calls SET status = 'unreachable', last_result = @Result, lease_owner = NULL, lease_until = NULL, updated_at = @Now
        WHERE id = @Id AND status = 'calling' AND (call_sid = @CallSid OR (call_sid IS NULL AND @CallSid IS NULL))
        """;

    public const string RecordEnd = """
        UPDATE voice_calls SET last_result = @Result, updated_at = @Now
        WHERE id = @Id AND call_sid = @CallSid AND status IN ('answered', 'machine')
        """;

    // Calls whose final status never arrived (a lost callback, an unanswered create, or a worker that died between
    // counting and asking Twilio), with the number that was dialled and when the attempt began, to ask Twilio.
    public const string SelectLost = """
        SELECT c.id AS Id, c.tenant_id AS TenantId, c.affected_id AS AffectedId, c.kind AS Kind, c.status AS Status,
               c.attempts AS Attempts, c.call_sid AS CallSid, c.last_call_at AS LastCallAt, b.phone AS Phone
        FROM voice_calls c
        LEFT JOIN affected_bookings a ON a.id = c.affected_id AND a.tenant_id = c.tenant_id
        LEFT JOIN bookings b ON b.id = a.booking_id
        WHERE c.status = 'calling' AND c.last_call_at < @Before AND (c.lease_until IS NULL OR c.lease_until < @Now)
        """;

    // The outage page's figures: calls made (attempts), calls that reached someone, calls still to come.
    public const string CountsForOutage = """
        SELECT COALESCE(SUM(c.attempts), 0) AS Made,
               COALESCE(SUM(CASE WHEN c.status IN ('answered', 'machine') THEN 1 ELSE 0 END), 0) AS Answered,
               COALESCE(SUM(CASE WHEN c.status IN ('queued', 'calling') THEN 1 ELSE 0 END), 0) AS Pending
        FROM voice_calls c JOIN affected_bookings a ON a.id = c.affected_id
        WHERE a.outage_id = @OutageId
        """;

    // The hotline's view of one affected booking: the latest call and how it ended.
    public const string LatestForAffected = """
        SELECT c.status AS Status, c.attempts AS Attempts, c.last_call_at AS LastCallAt, c.last_result AS LastResult
        FROM voice_calls c WHERE c.affected_id = @AffectedId AND c.tenant_id = @TenantId
        ORDER BY c.id DESC
        """;
}
