using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rebooking.Data;
using Rebooking.Notifications;
using Rebooking.Operations;
using Rebooking.Rebookings;

namespace Rebooking.Voice;

/// <summary>
/// Twilio's side of a call: the instructions when someone picks up, each key press, and the final status. The
/// caller has checked the request's signature. A call is found by our id and its CallSid together, so a request
/// for another call, a finished one or a forged id changes nothing and hears a hang-up. The one exception is an
/// attempt whose create went unanswered (no CallSid yet): the first signed request for its id, instructions or
/// final status, brings the CallSid, which the attempt adopts (<see cref="VoiceSql.AdoptSid"/>). Key 1 books through
/// <see cref="CitizenRebooking.BookByPhoneAsync"/>, the same booking the citizen's link makes.
/// </summary>
public sealed class VoiceConversation(
    Db db, CitizenRebooking rebooking, TimeProvider clock, IOptions<VoiceOptions> options, IOptions<RebookingOptions> links,
    VoiceLanguages voices, ILogger<VoiceConversation> logger, RebookingMetrics? metrics = null)
{
    readonly RebookingMetrics metrics = metrics ?? new RebookingMetrics();

    /// <summary>The public URL of a call's step: <c>""</c> (instructions), <c>gather</c> or <c>status</c>.</summary>
    public string Url(long callId, string step = "") =>
        $"{links.Value.PublicBaseUrl.TrimEnd('/')}/webhooks/twilio/voice/{callId}{(step.Length > 0 ? "/" + step : "")}";

    /// <summary>Someone picked up. <paramref name="answeredBy"/>: Twilio's answering-machine verdict (human, machine_end_beep, …).</summary>
    public async Task<string> AnswerAsync(long callId, string callSid, string? answeredBy, CancellationToken ct = default)
    {
        var call = await FindAsync(callId, callSid, ct, adopt: true);
        if (call is null) return VoiceScript.HangUp();
        var booking = await rebooking.FindAffectedAsync(call.TenantId, call.AffectedId, ct);
        if (booking is null) return VoiceScript.HangUp();
        var machine = answeredBy is not null && (answeredBy.StartsWith("machine", StringComparison.Ordinal) || answeredBy == "fax");
        var status = call.Status;
        if (status == "calling")
        {
            status = machine ? "machine" : "answered";
            var now = clock.GetUtcNow();
            var changed = await db.InTransactionAsync(async (connection, transaction) =>
            {
                var mine = await connection.ExecuteAsync(VoiceSql.MarkPickedUp,
                    new { Id = callId, CallSid = callSid, Status = status, Result = machine ? "machine" : "human", Now = now }, transaction);
                if (mine == 1 && call.Kind == "cancellation")
                    await connection.ExecuteAsync(NotificationSql.AffectedNotified, new { call.AffectedId, Contact = "notified", Now = now }, transaction);
                return mine;
            }, ct);
            if (changed == 1)
            {
                metrics.Sent("voice", call.Kind, TimeSpan.Zero);
                logger.LogInformation("Call {CallId} picked up by a {Who}", callId, machine ? "machine" : "person");
            }
        }
        if (status == "machine") return VoiceScript.Machine(booking, call.Kind == "reinstatement", voices: voices);
        if (status != "answered") return VoiceScript.HangUp();
        if (call.Kind == "reinstatement") return VoiceScript.Reinstated(booking, voices: voices);
        if (booking.Outcome != "open") return VoiceScript.EndWithHotline(booking, "AlreadyDecided", voices: voices);
        var offers = await rebooking.OffersAsync(booking, ct);
        await SetOfferAsync(callId, callSid, offers, call.OfferIndex, ct);
        return VoiceScript.Cancellation(booking, offers, call.OfferIndex, Url(callId, "gather"), voices: voices);
    }

    /// <summary>The citizen pressed <paramref name="digits"/> (empty: the menu passed without a key).</summary>
    public async Task<string> GatherAsync(long callId, string callSid, string? digits, CancellationToken ct = default)
    {
        var call = await FindAsync(callId, callSid, ct);
        if (call is not { Status: "answered", Kind: "cancellation" }) return VoiceScript.HangUp();
        var booking = await rebooking.FindAffectedAsync(call.TenantId, call.AffectedId, ct);
        if (booking is null) return VoiceScript.HangUp();
        if (booking.Outcome != "open") return VoiceScript.EndWithHotline(booking, "AlreadyDecided", voices: voices);
        var offers = await rebooking.OffersAsync(booking, ct);
        var index = call.OfferIndex;
        switch (digits)
        {
            case "1" when call.OfferedSlot is { } slot:
                var (outcome, appointment) = await rebooking.BookByPhoneAsync(call.TenantId, call.AffectedId, slot, ct);
                logger.LogInformation("Call {CallId}: key 1 came to {Outcome}", callId, outcome);
                if (outcome == BookingOutcome.Booked) return VoiceScript.Booked(booking, appointment!, voices: voices);
                if (outcome == BookingOutcome.SlotGone)
                {
                    var fresh = await rebooking.OffersAsync(booking, ct);
                    return await MenuAsync(call, booking, fresh, 0, "SlotGone", false, ct);
                }
                return VoiceScript.EndWithHotline(booking, "AlreadyDecided", voices: voices);
            case "2":
                return await MenuAsync(call, booking, offers, index + 1, index + 1 < offers.Count ? "NextOffer" : null, false, ct);
            case "3":
                var declined = await rebooking.DeclineByPhoneAsync(call.TenantId, call.AffectedId, ct);
                logger.LogInformation("Call {CallId}: key 3 came to {Outcome}", callId, declined);
                return VoiceScript.EndWithHotline(booking, declined == BookingOutcome.Declined ? "Declined" : "AlreadyDecided", voices: voices);
            case "9":
                return await MenuAsync(call, booking, offers, index < offers.Count ? index : 0, null, true, ct);
            case null or "":
                await db.InTransactionAsync((connection, transaction) =>
                    connection.ExecuteAsync(VoiceSql.CountSilence, new { Id = callId, CallSid = callSid, Now = clock.GetUtcNow() }, transaction), ct);
                return call.Silences + 1 >= 2
                    ? VoiceScript.EndWithHotline(booking, "NoInput", voices: voices)
                    : await MenuAsync(call, booking, offers, index, "NoInputOnce", false, ct);
            default:
                return await MenuAsync(call, booking, offers, index, "Invalid", false, ct);
        }
    }

    /// <summary>Reads the menu with offer <paramref name="index"/> and remembers which slot that was, for key 1.</summary>
    async Task<string> MenuAsync(VoiceCall call, LinkedBooking booking, IReadOnlyList<Offer> offers, int index, string? lead, bool intro, CancellationToken ct)
    {
        await SetOfferAsync(call.Id, call.CallSid!, offers, index, ct);
        return VoiceScript.Menu(booking, offers, index, Url(call.Id, "gather"), lead, intro, voices: voices);
    }

    /// <summary>
    /// Twilio's final status of a call. Busy, no answer, failure or cancellation before anyone picked up: another
    /// attempt after <c>Voice:RetryAfter</c>, or after the last one the citizen is unreachable ("not reached by
    /// phone"). Repeated and late callbacks change nothing.
    /// </summary>
    public async Task StatusAsync(long callId, string callSid, string callStatus, CancellationToken ct = default)
    {
        var call = await FindAsync(callId, callSid, ct, adopt: true);
        if (call is null) return;
        if (call.Status == "calling" && callStatus is "busy" or "no-answer" or "failed" or "canceled" or "completed")
            await EndAttemptAsync(call, callSid, callStatus, ct);
        else if (call.Status is "answered" or "machine" && callStatus == "completed")
            await db.InTransactionAsync((connection, transaction) =>
                connection.ExecuteAsync(VoiceSql.RecordEnd, new { Id = callId, CallSid = callSid, Result = "completed", Now = clock.GetUtcNow() }, transaction), ct);
    }

    /// <summary>An attempt that reached nobody: queued again, or after the last attempt the citizen is unreachable.</summary>
    internal async Task EndAttemptAsync(VoiceCall call, string? callSid, string result, CancellationToken ct, bool final = false)
    {
        var now = clock.GetUtcNow();
        var last = final || call.Attempts >= options.Value.MaxAttempts;
        var changed = await db.InTransactionAsync(async (connection, transaction) =>
        {
            if (!last)
                return await connection.ExecuteAsync(VoiceSql.Retry,
                    new { call.Id, CallSid = callSid, DueAt = now + options.Value.RetryAfter, Result = result, Now = now }, transaction);
            var mine = await connection.ExecuteAsync(VoiceSql.GiveUp, new { call.Id, CallSid = callSid, Result = result, Now = now }, transaction);
            if (mine == 1 && call.Kind == "cancellation")
                await connection.ExecuteAsync(NotificationSql.AffectedUnreachable, new { call.AffectedId, Now = now, Reason = "failed" }, transaction);
            return mine;
        }, ct);
        if (changed == 0) return;
        if (last) metrics.Failed("voice", call.Kind, "not-reached");
        else metrics.Retried("voice", result);
        logger.LogInformation("Call {CallId} attempt {Attempt} ended {Result}; {Next}", call.Id, call.Attempts, result, last ? "not reached by phone" : "retried later");
    }

    Task SetOfferAsync(long callId, string callSid, IReadOnlyList<Offer> offers, int index, CancellationToken ct) =>
        db.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(VoiceSql.SetOffer, new
        {
            Id = callId, CallSid = callSid, OfferIndex = index, OfferedSlot = index < offers.Count ? offers[index].SlotId : (long?)null, Now = clock.GetUtcNow(),
        }, transaction), ct);

    /// <summary>
    /// The attempt that <paramref name="callSid"/> belongs to. With <paramref name="adopt"/>, an attempt of this id
    /// that is still waiting for its CallSid takes this one first.
    /// </summary>
    async Task<VoiceCall?> FindAsync(long callId, string callSid, CancellationToken ct, bool adopt = false)
    {
        if (string.IsNullOrEmpty(callSid)) return null;
        var call = await ReadAsync(callId, callSid, ct);
        if (call is not null || !adopt || await AdoptAsync(callId, callSid, ct) == 0) return call;
        logger.LogInformation("Call {CallId}: Twilio's request names the call whose creation went unanswered; its CallSid is adopted", callId);
        return await ReadAsync(callId, callSid, ct);
    }

    async Task<VoiceCall?> ReadAsync(long callId, string callSid, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<VoiceCall>(VoiceSql.Find, new { Id = callId, CallSid = callSid });
    }

    Task<int> AdoptAsync(long callId, string callSid, CancellationToken ct) =>
        db.InTransactionAsync((connection, transaction) =>
            connection.ExecuteAsync(VoiceSql.AdoptSid, new { Id = callId, CallSid = callSid, Now = clock.GetUtcNow() }, transaction), ct);

    /// <summary>
    /// An attempt whose create went unanswered and about which Twilio sent nothing within <c>Voice:CallTimeout</c>:
    /// the first of <paramref name="placed"/> (Twilio's calls to the number since the attempt began, oldest first)
    /// that no other call holds is adopted, and its status counts as the final status callback would; a call still
    /// ringing or in progress gets another <c>Voice:CallTimeout</c>. False when none could be adopted.
    /// </summary>
    internal async Task<bool> AdoptPlacedAsync(VoiceCall call, IReadOnlyList<PlacedCall> placed, CancellationToken ct)
    {
        foreach (var found in placed)
        {
            if (await AdoptAsync(call.Id, found.Sid, ct) == 0) continue;
            logger.LogInformation("Call {CallId}: Twilio placed it after all ({CallStatus}); its CallSid is adopted", call.Id, found.Status);
            if (found.Status is "busy" or "no-answer" or "failed" or "canceled" or "completed")
                await StatusAsync(call.Id, found.Sid, found.Status, ct);
            else
            {
                var now = clock.GetUtcNow();
                await db.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(VoiceSql.WaitForStatus,
                    new { call.Id, CallSid = found.Sid, WaitUntil = now + options.Value.CallTimeout, Now = now }, transaction), ct);
            }
            return true;
        }
        return false;
    }
}
