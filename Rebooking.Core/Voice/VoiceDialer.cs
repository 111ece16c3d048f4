using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rebooking.Data;
using Rebooking.Notifications;
using Rebooking.Outages;

namespace Rebooking.Voice;

/// <summary>
/// Places the due calls. Claims them under a lease, soonest appointment first; a call outside the tenant's calling
/// hours waits for the next opening (<see cref="CallingHours"/>); calls start at most <c>Voice:RatePerSecond</c> per
/// second (per process); each attempt is counted before Twilio is asked, so no crash hides one. Also queues the reinstatement
/// calls of citizens reached by phone, withdraws calls nobody needs any more (the booking was reinstated before
/// anyone was told, rebooked through the hotline, or declined), and ends attempts whose final status never came.
/// A create whose answer was lost never leads to a second call in the same attempt: the attempt waits for Twilio's
/// requests, and after <c>Voice:CallTimeout</c> Twilio is asked whether the call exists before it counts as failed.
/// </summary>
public sealed class VoiceDialer(
    Db db, VoiceCallerSetup setup, VoiceConversation conversation, TimeProvider clock, IOptions<VoiceOptions> options,
    WorkerIdentity worker, ILogger<VoiceDialer> logger)
{
    readonly VoiceOptions options = options.Value;
    readonly CallingHours hours = CallingHours.Parse(options.Value.Hours);
    DateTimeOffset nextStart = DateTimeOffset.MinValue;
    readonly SemaphoreSlim running = new(1, 1);

    const int BatchSize = 20;

    /// <summary>Places every call due now; returns how many were started. A second run while one is going returns 0 at once.</summary>
    public async Task<int> RunPendingAsync(CancellationToken ct = default)
    {
        if (setup.Caller is not { } caller || !options.Enabled) return 0;
        if (!await running.WaitAsync(0, ct)) return 0;
        try
        {
            await db.InTransactionAsync((connection, transaction) =>
                connection.ExecuteAsync(VoiceSql.QueueReinstatements, new { Now = clock.GetUtcNow() }, transaction), ct);
            await EndLostAsync(caller, ct);
            var started = 0;
            while (!ct.IsCancellationRequested)
            {
                var owner = $"{worker.Name}/{Guid.NewGuid().ToString("N")[..8]}";
                var batch = await ClaimAsync(owner, ct);
                if (batch.Count == 0) break;
                foreach (var call in batch)
                    if (await PlaceAsync(caller, call, owner, ct)) started++;
            }
            return started;
        }
        finally
        {
            running.Release();
        }
    }

    async Task<List<Claimed>> ClaimAsync(string owner, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(db.Sql(VoiceSql.Claim), new { Owner = owner, LeaseUntil = now + options.Lease, Now = now, BatchSize }, transaction);
            return (await connection.QueryAsync<Claimed>(VoiceSql.SelectClaimed, new { Owner = owner }, transaction)).ToList();
        }, ct);
    }

    async Task<bool> PlaceAsync(IVoiceCaller caller, Claimed call, string owner, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["VoiceCallId"] = call.Id });
        var now = clock.GetUtcNow();
        var needed = call.Kind == "cancellation" ? call.Outcome == "open" : call.Outcome == "reinstated";
        if (!needed || call.Phone is null)
        {
            await ExecuteAsync(VoiceSql.Withdraw, new { call.Id, Owner = owner, Now = now }, ct);
            logger.LogInformation("Call withdrawn: nobody needs it any more");
            return false;
        }
        var opening = hours.NextOpening(now, OffsetTime.Zone(call.TimeZone));
        if (opening > now)
        {
            await ExecuteAsync(VoiceSql.Defer, new { call.Id, Owner = owner, DueAt = opening, Now = now }, ct);
            return false;
        }
        await PaceAsync(ct);
        now = clock.GetUtcNow();
        if (await ExecuteAsync(VoiceSql.MarkCalling, new { call.Id, Owner = owner, LeaseUntil = now + options.Lease, Now = now }, ct) == 0) return false;

        // From here on the attempt runs to its end even when stopping: its answer must be recorded.
        var outcome = await caller.CallAsync(call.Phone, conversation.Url(call.Id), conversation.Url(call.Id, "status"), CancellationToken.None);
        var attempt = new VoiceCall { Id = call.Id, TenantId = call.TenantId, AffectedId = call.AffectedId, Kind = call.Kind, Attempts = call.Attempts + 1 };
        switch (outcome.Status)
        {
            case SendStatus.Accepted:
                await ExecuteAsync(VoiceSql.SetSid, new { call.Id, Owner = owner, CallSid = outcome.ProviderRef, Now = clock.GetUtcNow() }, CancellationToken.None);
                logger.LogInformation("Call {Attempt} of {MaxAttempts} placed to {Recipient}", attempt.Attempts, options.MaxAttempts, Masking.Phone(call.Phone));
                return true;
            case SendStatus.Transient:
                await ExecuteAsync(VoiceSql.Requeue, new
                {
                    call.Id, Owner = owner, DueAt = clock.GetUtcNow() + (outcome.RetryAfter ?? TimeSpan.FromMinutes(1)), Now = clock.GetUtcNow(),
                }, CancellationToken.None);
                logger.LogWarning("Twilio refused the call for now ({Code}); it stays queued", outcome.ErrorCode);
                return false;
            case SendStatus.Ambiguous:
                // The call may ring: its first signed request (instructions or final status) brings the CallSid, see VoiceSql.AdoptSid.
                await ExecuteAsync(VoiceSql.AwaitTwilio, new { call.Id, Owner = owner, Now = clock.GetUtcNow() }, CancellationToken.None);
                logger.LogWarning("Twilio's answer to call {Attempt} of {MaxAttempts} was lost ({Code}, {Error}); waiting for Twilio's requests about it",
                    attempt.Attempts, options.MaxAttempts, outcome.ErrorCode, outcome.Error);
                return false;
            default:
                logger.LogWarning("Twilio cannot place the call ({Code}, {Status})", outcome.ErrorCode, outcome.Status);
                await conversation.EndAttemptAsync(attempt, null, "failed", CancellationToken.None, final: true);
                return false;
        }
    }

    /// <summary>
    /// Spaces call starts 1/<c>Voice:RatePerSecond</c> apart on the injected clock (runs are serial, see <c>running</c>),
    /// so the account's calls-per-second is kept and a test's fake clock can measure it.
    /// </summary>
    async Task PaceAsync(CancellationToken ct)
    {
        if (options.RatePerSecond <= 0) return;
        var now = clock.GetUtcNow();
        if (now < nextStart) await Task.Delay(nextStart - now, clock, ct);
        nextStart = (now > nextStart ? now : nextStart) + TimeSpan.FromSeconds(1 / options.RatePerSecond);
    }

    /// <summary>
    /// Attempts whose final status did not come within <c>Voice:CallTimeout</c>. One with a CallSid counts as failed
    /// (<c>lost</c>). One without (its create went unanswered, or the worker died before asking) is first reconciled:
    /// Twilio's calls to the number since the attempt began are read, and one found is adopted with its status; only
    /// when Twilio has none does the attempt count as failed. When Twilio cannot be asked, the attempt waits for the next run.
    /// </summary>
    async Task EndLostAsync(IVoiceCaller caller, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        List<(VoiceCall Call, Dialled Dialled)> lost;
        await using (var connection = await db.OpenAsync(ct))
            lost = (await connection.QueryAsync<VoiceCall, Dialled, (VoiceCall, Dialled)>(VoiceSql.SelectLost, (call, dialled) => (call, dialled),
                new { Before = now - options.CallTimeout, Now = now }, splitOn: nameof(Dialled.LastCallAt))).ToList();
        foreach (var (call, dialled) in lost)
        {
            using var scope = logger.BeginScope(new Dictionary<string, object> { ["VoiceCallId"] = call.Id });
            if (call.CallSid is not null || dialled?.Phone is null || dialled.LastCallAt is not { } began)
            {
                await conversation.EndAttemptAsync(call, call.CallSid, "lost", ct);
                continue;
            }
            IReadOnlyList<PlacedCall> placed;
            try
            {
                placed = await caller.FindPlacedAsync(dialled.Phone, began, ct);
            }
            catch (HttpRequestException e)
            {
                // Not the exception itself: its message may carry the list's URL, and with it the number.
                logger.LogWarning("Twilio could not be asked whether call {CallId} was placed ({Error}); asking again at the next run",
                    call.Id, e.InnerException?.GetType().Name);
                continue;
            }
            if (await conversation.AdoptPlacedAsync(call, placed, ct)) continue;
            logger.LogInformation("Twilio has no call for attempt {Attempt} of call {CallId}: it was never placed", call.Attempts, call.Id);
            await conversation.EndAttemptAsync(call, null, "failed", ct);
        }
    }

    Task<int> ExecuteAsync(string sql, object parameters, CancellationToken ct) =>
        db.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(sql, parameters, transaction), ct);

    /// <summary>Beside a lost attempt's call: when it was dialled, and the number (to ask Twilio about it).</summary>
    sealed class Dialled
    {
        public DateTimeOffset? LastCallAt { get; init; }
        public string? Phone { get; init; }
    }

    sealed class Claimed
    {
        public long Id { get; init; }
        public string TenantId { get; init; } = "";
        public long AffectedId { get; init; }
        public string Kind { get; init; } = "";
        public int Attempts { get; init; }
        public string? Outcome { get; init; }
        public string? Contact { get; init; }
        public string? Phone { get; init; }
        public string TimeZone { get; init; } = "Europe/Berlin";
    }
}
