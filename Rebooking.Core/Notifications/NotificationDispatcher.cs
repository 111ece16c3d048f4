using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rebooking.Data;
using Rebooking.Operations;
using Rebooking.Outages;
using Rebooking.Rebookings;

namespace Rebooking.Notifications;

/// <summary>
/// Sends queued messages. Claims due messages in batches under a lease (soonest appointments first), so
/// several workers never send the same one; picks the channel by <see cref="ChannelRule"/> (SMS for a phone that takes SMS, else email;
/// email after SMS failed for good; unreachable when nothing is left); retries transient failures with
/// exponential backoff and jitter (honouring Retry-After); and never resends blindly: an attempt whose
/// outcome is unknown (timeout, 5xx, a worker killed mid-call) is first reconciled with the provider.
/// </summary>
public sealed class NotificationDispatcher(
    Db db, NotificationChannels channels, TimeProvider clock, IOptions<NotificationOptions> options,
    IOptions<RebookingOptions> rebooking, WorkerIdentity worker, ILogger<NotificationDispatcher> logger, RebookingMetrics? metrics = null,
    IWorkQueue? work = null, Voice.VoiceHandoff? voice = null)
{
    readonly RebookingMetrics metrics = metrics ?? new RebookingMetrics();
    readonly IWorkQueue work = work ?? new SweepOnlyWorkQueue();
    readonly NotificationOptions options = options.Value;
    readonly RebookingOptions links = rebooking.Value;
    readonly SendRate? smsRate = channels.Sms is { RatePerSecond: > 0 } s ? new SendRate(s.RatePerSecond) : null;
    readonly SendRate? emailRate = channels.Email is { RatePerSecond: > 0 } e ? new SendRate(e.RatePerSecond) : null;

    readonly GroupCommit writes = new(db);
    readonly SemaphoreSlim running = new(1, 1);
    int requested;

    /// <summary>
    /// Sends everything due now. Returns how many messages were handled (sent, retried later or failed). A call
    /// while this dispatcher is already running returns 0 at once: a job that starts before the last run ended
    /// (a rate-limited batch takes long) adds no second loop, so <c>Notifications:Concurrency</c> stays the
    /// limit per process. Such a call is not lost either: the running loop looks for work once more before it
    /// ends, so a message queued just as the queue ran dry does not wait for the next sweep.
    /// </summary>
    public async Task<int> RunPendingAsync(CancellationToken ct = default)
    {
        Interlocked.Exchange(ref requested, 1);
        var handled = 0;
        // Release-then-read here against set-then-try in a concurrent call: one of the two always sees the other.
        while (Volatile.Read(ref requested) == 1 && await running.WaitAsync(0, ct))
        {
            try
            {
                Interlocked.Exchange(ref requested, 0);
                handled += await DrainAsync(ct);
            }
            finally
            {
                running.Release();
            }
        }
        return handled;
    }

    async Task<int> DrainAsync(CancellationToken ct)
    {
        var handled = 0;
        var owner = "";
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // A run lasts until the queue is empty, minutes on an outage day: the depth is counted before every batch.
                await CountWaitingAsync(ct);
                // Each batch is leased under a name of its own, so nothing but this batch's own messages is ever
                // read back as "mine" — not even by another run in the same process.
                owner = $"{worker.Name}/{Guid.NewGuid().ToString("N")[..8]}";
                var batch = await ClaimAsync(owner, ct);
                if (batch.Count == 0) break;
                await DispatchBatchAsync(batch, ct);
                handled += batch.Count;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: what is still claimed goes back to the queue now, not when the lease runs out.
            await using var connection = await db.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync(NotificationSql.ReleaseClaimed, new { Owner = owner });
            throw;
        }
        return handled;
    }

    async Task CountWaitingAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        metrics.QueueDepth(await connection.ExecuteScalarAsync<long>(NotificationSql.CountWaiting));
    }

    async Task<List<Claimed>> ClaimAsync(string owner, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(db.Sql(NotificationSql.Claim),
                new { Owner = owner, LeaseUntil = now + options.Lease, Now = now, options.BatchSize }, transaction);
            return (await connection.QueryAsync<Claimed>(NotificationSql.SelectClaimed, new { Owner = owner }, transaction)).ToList();
        }, ct);
    }

    /// <summary>
    /// One claimed batch, in three steps whose writes are batched: what needs no send (a reinstatement that
    /// waits or is withdrawn, no usable contact, an earlier attempt the provider did take) is settled; every
    /// attempt left is marked in flight in one transaction, before any provider call; then the attempts are
    /// sent, and the outcomes of sends that end together are recorded together (<see cref="GroupCommit"/>).
    /// A send's slot waits for its outcome to commit, so no more than <c>Notifications:Concurrency</c>
    /// answers are ever unrecorded: what a crash can make us reconcile, or send again by SMTP, stays as before.
    /// </summary>
    async Task DispatchBatchAsync(List<Claimed> batch, CancellationToken ct)
    {
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct };
        var prepared = new Attempt?[batch.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count), parallel,
            async (i, token) => prepared[i] = await PrepareAsync(batch[i], token));
        var marked = await MarkInFlightAsync(prepared.OfType<Attempt>().ToList(), ct);
        try
        {
            await Parallel.ForEachAsync(marked, parallel, async (attempt, token) => await SendAsync(attempt, token));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: attempts that never reached the provider go back as they were claimed, not as "in flight".
            await HandBackUnsentAsync(marked.Where(a => !a.Started).ToList());
            throw;
        }
    }

    /// <summary>Settles a message that needs no send, or returns the attempt to make: the channel, the text and its new link.</summary>
    async Task<Attempt?> PrepareAsync(Claimed message, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["NotificationId"] = message.Id });
        try
        {
            if (message.Kind == NotificationKind.Reinstatement && message.CancellationStatus is "queued" or "sending")
            {
                await RetryAsync(message, TimeSpan.FromSeconds(30), null, "waiting for the cancellation to settle", inFlight: false);
                metrics.Retried(null, "waiting");
                return null;
            }
            if (message.Kind == NotificationKind.Reinstatement && message.CancellationStatus is "withdrawn" or "failed")
            {
                await FailAsync(message, "withdrawn", null, "the cancellation never reached the citizen");
                return null;
            }
            // A message that has gone by e-mail before (its SMS failed for good, or it never took SMS) stays off SMS.
            var chosen = message.Channel == "email"
                ? ChannelRule.WithoutSms(message.PhoneKind, message.Email is not null, null, Available(message))
                : ChannelRule.For(message.PhoneKind, message.Email is not null, Available(message));
            if (chosen == ContactChannel.Voice)
            {
                await HandToVoiceAsync(message);
                return null;
            }
            var (channel, to) = chosen switch
            {
                ContactChannel.Sms => (channels.Sms, message.Phone),
                ContactChannel.Email => (channels.Email, message.Email),
                _ => (null, null),
            };
            if (channel is null)
            {
                await FailAsync(message, "failed", "no-channel", "no usable contact for the configured channels");
                return null;
            }
            if (message.InFlight && message.BodyHash is not null && message.AttemptedAt is not null)
            {
                var earlier = await channel.ReconcileAsync(to!, message.BodyHash, message.AttemptedAt.Value, ct);
                if (earlier is not null)
                {
                    logger.LogInformation("An earlier attempt by {Channel} to {Recipient} was accepted after all; not sending again", channel.Name, Mask(channel, to));
                    await AcceptedAsync(message, channel.Name, earlier);
                    return null;
                }
            }
            var token = RebookingLinks.NewToken();
            var facts = Facts(message, RebookingLinks.Url(links, token));
            var outgoing = (channel.Name == "sms" ? MessageComposer.Sms(to!, facts) : MessageComposer.Email(to!, facts, clock.GetUtcNow())) with
            {
                Reference = $"n{message.Id}",
            };
            return new Attempt(message, channel, to!, token, outgoing);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is DbException or HttpRequestException or TimeoutException or InvalidOperationException)
        {
            logger.LogError(e, "Dispatching failed; the message stays queued and its lease will run out");
            return null;
        }
    }

    /// <summary>Sends one marked attempt and records its answer.</summary>
    async Task SendAsync(Attempt attempt, CancellationToken ct)
    {
        var (message, channel) = (attempt.Message, attempt.Channel);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["NotificationId"] = message.Id });
        try
        {
            // A stop while this waits for its turn hands the attempt back: it never reached the provider.
            await ((channel.Name == "sms" ? smsRate : emailRate)?.WaitAsync(ct) ?? Task.CompletedTask);
            attempt.Started = true;

            // From here on the attempt runs to its end even when the worker is stopping (bounded by the channel's
            // own timeout): cutting it off would leave an outcome that has to be reconciled; its answer is recorded.
            var callback = channel is TwilioSmsChannel ? $"{links.PublicBaseUrl.TrimEnd('/')}/webhooks/twilio/status" : null;
            var started = clock.GetTimestamp();
            var outcome = await channel.SendAsync(attempt.Outgoing, callback, CancellationToken.None);
            metrics.SendTook(channel.Name, outcome.Status.ToString().ToLowerInvariant(), clock.GetElapsedTime(started));
            await RecordAsync(message, channel, outcome);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is DbException or HttpRequestException or TimeoutException or InvalidOperationException)
        {
            logger.LogError(e, "Dispatching failed; the message stays queued and its lease will run out");
        }
    }

    /// <summary>The channels for this message: the configured ones, and a call for a cancellation when calls are on.</summary>
    ContactChannel Available(Claimed m) =>
        channels.Available | (voice is not null && voice.Calls(m.Kind, m.AffectedId) ? ContactChannel.Voice : ContactChannel.None);

    MessageFacts Facts(Claimed m, string link) => new(
        m.Kind, m.Language, m.TenantName, OffsetTime.Zone(m.TimeZone), m.TenantPhone, m.OfficeName, m.OfficeAddress, m.ServiceName,
        m.Start, m.End, m.PublicMessage, m.CitizenName, link, m.BookingRef, m.Revision);

    /// <summary>
    /// Before any provider call, in one transaction: each attempt's link and what is about to be sent, so that
    /// a worker dying during a call leaves <c>in_flight</c> and <c>body_hash</c> for the next one to ask the
    /// provider instead of sending twice. Returns the attempts still under this batch's lease. When the
    /// transaction fails the whole batch stays claimed until its lease runs out, as each message did before.
    /// </summary>
    async Task<List<Attempt>> MarkInFlightAsync(List<Attempt> attempts, CancellationToken ct)
    {
        if (attempts.Count == 0) return [];
        try
        {
            return await db.InTransactionAsync(async (connection, transaction) =>
            {
                var now = clock.GetUtcNow();
                var mine = new List<Attempt>(attempts.Count);
                foreach (var attempt in attempts)
                {
                    var (message, channel, to, token, outgoing) = attempt;
                    if (await connection.ExecuteAsync(NotificationSql.MarkInFlight, new
                    {
                        message.Id, Owner = message.Owner, outgoing.BodyHash, Now = now, Channel = channel.Name, Masked = Mask(channel, to),
                    }, transaction) == 0) continue;
                    if (message.AffectedId is not null)
                        await connection.ExecuteAsync(NotificationSql.InsertLink, new
                        {
                            TokenHash = RebookingLinks.Hash(token), message.AffectedId, message.Id, ExpiresAt = now + links.LinkLifetime, Now = now,
                        }, transaction);
                    mine.Add(attempt);
                }
                return mine;
            }, ct);
        }
        catch (Exception e) when (e is DbException or TimeoutException)
        {
            logger.LogError(e, "Marking a batch of {Count} attempts failed; they stay queued and their lease will run out", attempts.Count);
            return [];
        }
    }

    /// <summary>
    /// On a stop, before the batch's lease is released: attempts that were marked but never reached the
    /// provider get back what they had when claimed (an earlier attempt's in-flight mark included), and
    /// their links, whose tokens nobody ever received, go.
    /// </summary>
    async Task HandBackUnsentAsync(List<Attempt> unsent)
    {
        if (unsent.Count == 0) return;
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            foreach (var attempt in unsent)
            {
                var message = attempt.Message;
                if (await connection.ExecuteAsync(NotificationSql.UnmarkInFlight, new
                {
                    message.Id, message.Owner, message.InFlight, message.BodyHash, message.AttemptedAt, message.Channel,
                }, transaction) == 1)
                    await connection.ExecuteAsync(NotificationSql.DeleteLink, new { message.Id, TokenHash = RebookingLinks.Hash(attempt.Token) }, transaction);
            }
        }, CancellationToken.None);
    }

    async Task RecordAsync(Claimed message, INotificationChannel channel, SendOutcome outcome)
    {
        switch (outcome.Status)
        {
            case SendStatus.Accepted:
                await AcceptedAsync(message, channel.Name, outcome);
                break;
            case SendStatus.Transient when message.Attempts < options.MaxAttempts:
                if (outcome.ErrorCode is "401" or "20003") logger.LogError("Twilio refused our credentials; SMS are held back until an operator fixes Twilio:*");
                await RetryAsync(message, outcome.RetryAfter ?? Backoff(message.Attempts), outcome.ErrorCode, outcome.Error, inFlight: false);
                metrics.Retried(channel.Name, "transient");
                break;
            case SendStatus.Ambiguous when message.Attempts < options.MaxAttempts:
                await RetryAsync(message, Backoff(message.Attempts), outcome.ErrorCode, outcome.Error, inFlight: true);
                metrics.Retried(channel.Name, "ambiguous");
                break;
            default:
                if (outcome.ErrorCode == "21408") logger.LogError("Twilio: destination country not enabled (Geo Permissions); an operator must allow it");
                logger.LogWarning("{Channel} failed for good ({Code}) for {Recipient}", channel.Name, outcome.ErrorCode, "the citizen");
                var next = channel.Name == "sms"
                    ? ChannelRule.WithoutSms(message.PhoneKind, message.Email is not null, outcome.ErrorCode, Available(message))
                    : ContactChannel.None;
                if (next == ContactChannel.Email)
                {
                    await writes.InTransactionAsync(async (connection, transaction) =>
                        await connection.ExecuteAsync(NotificationSql.RecordFallback,
                            new { message.Id, Owner = message.Owner, Now = clock.GetUtcNow(), outcome.ErrorCode, Error = Trim(outcome.Error) }, transaction));
                    metrics.Retried(channel.Name, "fallback-to-email");
                }
                else if (next == ContactChannel.Voice)
                    await HandToVoiceAsync(message);
                else
                    await FailAsync(message, "failed", outcome.ErrorCode, outcome.Error, channel.Name);
                break;
        }
    }

    async Task AcceptedAsync(Claimed message, string channel, SendOutcome outcome)
    {
        var now = clock.GetUtcNow();
        var mine = await writes.InTransactionAsync(async (connection, transaction) =>
        {
            var status = outcome.Delivered ? "delivered" : "accepted";
            var mine = await connection.ExecuteAsync(NotificationSql.RecordAccepted,
                new { message.Id, Owner = message.Owner, Status = status, outcome.ProviderRef, Now = now }, transaction);
            if (mine == 1 && message.Kind == NotificationKind.Cancellation && message.AffectedId is not null)
                await connection.ExecuteAsync(NotificationSql.AffectedNotified,
                    new { message.AffectedId, Contact = outcome.Delivered ? "delivered" : "notified", Now = now }, transaction);
            return mine;
        });
        if (mine == 1) metrics.Sent(channel, message.Kind, now - message.QueuedAt);
    }

    /// <summary>Puts the message back with a new <c>due_at</c>, and once that has committed asks for a dispatch at that time.</summary>
    async Task RetryAsync(Claimed message, TimeSpan delay, string? code, string? error, bool inFlight)
    {
        var due = clock.GetUtcNow() + delay;
        var mine = await writes.InTransactionAsync(async (connection, transaction) =>
            await connection.ExecuteAsync(NotificationSql.RecordRetry, new
            {
                message.Id, Owner = message.Owner, DueAt = due, InFlight = inFlight, ErrorCode = code, Error = Trim(error),
            }, transaction));
        if (mine == 1) work.NotificationsDue(due);
    }

    async Task FailAsync(Claimed message, string status, string? code, string? error, string? channel = null)
    {
        var mine = await writes.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var mine = await connection.ExecuteAsync(NotificationSql.RecordFailed,
                new { message.Id, Owner = message.Owner, Status = status, ErrorCode = code, Error = Trim(error) }, transaction);
            if (mine == 1 && status == "failed" && message.Kind == NotificationKind.Cancellation && message.AffectedId is not null)
                await connection.ExecuteAsync(NotificationSql.AffectedUnreachable,
                    new { message.AffectedId, Now = now, Reason = code == "no-channel" ? "no-contact" : "failed" }, transaction);
            return mine;
        });
        if (mine == 1) metrics.Failed(channel, message.Kind, status == "withdrawn" ? "withdrawn" : code == "no-channel" ? "no-channel" : "permanent");
    }

    /// <summary>
    /// No SMS or e-mail can carry this cancellation, but a call can: the message ends as failed with the code
    /// <c>voice</c> and the call is queued in the same transaction; the citizen stays pending until the call
    /// reaches them (or, after the last attempt, does not).
    /// </summary>
    async Task HandToVoiceAsync(Claimed message)
    {
        var mine = await writes.InTransactionAsync(async (connection, transaction) =>
        {
            var mine = await connection.ExecuteAsync(NotificationSql.RecordFailed,
                new { message.Id, Owner = message.Owner, Status = "failed", ErrorCode = "voice", Error = "handed over to a voice call" }, transaction);
            if (mine == 1) await voice!.QueueAsync(connection, transaction, message.AffectedId!.Value, clock.GetUtcNow());
            return mine;
        });
        if (mine == 1) metrics.Retried("sms", "handed-to-voice");
    }

    /// <summary>BaseBackoff · 2^(attempt-1), capped, with ±20% jitter so retries of a burst spread out.</summary>
    TimeSpan Backoff(int attempt)
    {
        var exponential = options.BaseBackoff.TotalSeconds * Math.Pow(2, Math.Max(0, attempt - 1));
        var capped = Math.Min(exponential, options.MaxBackoff.TotalSeconds);
        return TimeSpan.FromSeconds(capped * (0.8 + Random.Shared.NextDouble() * 0.4));
    }

    static string Mask(INotificationChannel channel, string? to) => channel.Name == "sms" ? Masking.Phone(to) : Masking.Email(to);

    static string? Trim(string? error) => error is { Length: > 500 } ? error[..500] : error;

    /// <summary>A send about to be made: the message as claimed, the channel and address chosen, the new link's token, the text.</summary>
    sealed record Attempt(Claimed Message, INotificationChannel Channel, string To, string Token, OutgoingMessage Outgoing)
    {
        /// <summary>Set once its turn under the rate limit came: from then on it runs to the provider's answer.</summary>
        public bool Started { get; set; }
    }

    sealed class Claimed
    {
        public long Id { get; init; }
        /// <summary>The batch's lease name: every write about this message is guarded by it.</summary>
        public string Owner { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? Channel { get; init; }
        public int Attempts { get; init; }
        public bool InFlight { get; init; }
        public byte[]? BodyHash { get; init; }
        public DateTimeOffset? AttemptedAt { get; init; }
        public DateTimeOffset QueuedAt { get; init; }
        public long? AffectedId { get; init; }
        public string? Phone { get; init; }
        public string? PhoneKind { get; init; }
        public string? Email { get; init; }
        public string Language { get; init; } = "de";
        public string CitizenName { get; init; } = "";
        public string BookingRef { get; init; } = "";
        public DateTimeOffset Start { get; init; }
        public DateTimeOffset End { get; init; }
        /// <summary>How often the booking was changed through the citizen's link: the .ics SEQUENCE.</summary>
        public int Revision { get; init; }
        public string OfficeName { get; init; } = "";
        public string? OfficeAddress { get; init; }
        public string ServiceName { get; init; } = "";
        public string TenantName { get; init; } = "";
        public string TimeZone { get; init; } = "";
        public string? TenantPhone { get; init; }
        public string? PublicMessage { get; init; }
        public string? CancellationStatus { get; init; }
    }
}
