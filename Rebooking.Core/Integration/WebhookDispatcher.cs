using System.Collections.Concurrent;
using System.Net.Http;
using System.Net.Http.Headers;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rebooking.Data;
using Rebooking.Operations;
using Rebooking.Outages;

namespace Rebooking.Integration;

/// <summary>
/// Sends the feed to every active webhook of its tenant. Knows nothing of any job engine: the durable record is
/// <c>webhook_deliveries</c> (one row per change and webhook), so a job only has to call
/// <see cref="DeliverDueAsync"/> now and then, or right after a change committed, from any number of workers.
/// <list type="number">
/// <item>Fan-out: settled changes after a webhook's <c>fanned_through</c> become pending deliveries.</item>
/// <item>Claim: due deliveries are leased to this worker; a delivery whose booking has an earlier change still
/// pending for the same webhook waits, so each booking's changes arrive in order.</item>
/// <item>Send: POST of the change with Standard Webhooks headers; a 2xx within <see cref="WebhookOptions.Timeout"/>
/// counts as delivered. Anything else is retried with backoff (10 s, 30 s, 1, 2, 5, then every 10 minutes) for as
/// long as the webhook stays enabled; a webhook that has failed for <see cref="WebhookOptions.DisableAfter"/>
/// is disabled, and its deliveries wait, undelivered, until an admin redelivers.</item>
/// </list>
/// A worker killed mid-send loses nothing: its lease runs out and the delivery is sent again with the same
/// <c>webhook-id</c>, which receivers use to apply each change once.
/// </summary>
public sealed class WebhookDispatcher(
    Db db, TimeProvider clock, IOptions<WebhookOptions> options, WebhookAddressPolicy policy, WorkerIdentity worker, ILogger<WebhookDispatcher> logger,
    IWorkQueue? work = null)
    : IDisposable
{
    readonly IWorkQueue work = work ?? new SweepOnlyWorkQueue();
    readonly WebhookOptions options = options.Value;
    readonly Lazy<HttpClient> client = new(policy.CreateClient);

    const int FanOutPage = 5000;

    static readonly TimeSpan[] Backoff =
        [TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10)];

    /// <summary>The wait before the next attempt after <paramref name="failures"/> failures in a row (1 or more).</summary>
    public static TimeSpan RetryDelay(int failures) => Backoff[Math.Clamp(failures, 1, Backoff.Length) - 1];

    /// <summary>
    /// Fans out new changes, then claims and sends due deliveries round after round until none is due, and
    /// finally asks the <see cref="IWorkQueue"/> for a run at the earliest retry still waiting (so a retry's
    /// timing does not depend on the sweep). Returns how many deliveries it attempted (delivered or not). Safe
    /// to call concurrently from several workers and processes; cancellation hands unsent claims back at once.
    /// </summary>
    public async Task<int> DeliverDueAsync(CancellationToken ct = default)
    {
        var handled = 0;
        while (!ct.IsCancellationRequested)
        {
            await FanOutAsync(ct);
            var round = await DeliverRoundAsync(ct);
            if (round == 0) break;
            handled += round;
        }
        if (!ct.IsCancellationRequested)
        {
            await using var connection = await db.OpenAsync(ct);
            if (await connection.ExecuteScalarAsync<DateTimeOffset?>(WebhookSql.NextAttempt) is { } next) work.WebhooksDue(next);
        }
        return handled;
    }

    /// <summary>Copies settled changes into pending deliveries for every active webhook; returns how many.</summary>
    public async Task<int> FanOutAsync(CancellationToken ct = default)
    {
        List<ActiveWebhook> webhooks;
        await using (var connection = await db.OpenAsync(ct))
            webhooks = (await connection.QueryAsync<ActiveWebhook>(WebhookSql.ActiveWebhooks)).ToList();
        var total = 0;
        foreach (var webhook in webhooks)
        {
            while (true)
            {
                var copied = await db.InTransactionAsync(async (connection, transaction) =>
                {
                    var from = await connection.ExecuteScalarAsync<long>(db.Sql(WebhookSql.FannedThrough), new { WebhookId = webhook.Id }, transaction);
                    var p = new { WebhookId = webhook.Id, webhook.TenantId, From = from, Limit = FanOutPage, Now = clock.GetUtcNow() };
                    var inserted = await connection.ExecuteAsync(db.Sql(WebhookSql.FanOut), p, transaction, commandTimeout: 120);
                    if (inserted > 0) await connection.ExecuteAsync(WebhookSql.AdvanceFannedThrough, p, transaction);
                    return inserted;
                }, ct);
                total += copied;
                if (copied < FanOutPage) break;
            }
        }
        return total;
    }

    async Task<int> DeliverRoundAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var owner = $"{worker.Name}:{Guid.NewGuid():N}";
        var claimed = await db.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(db.Sql(WebhookSql.Claim),
            new { Owner = owner, LeaseUntil = now + options.Lease, Now = now, options.BatchSize }, transaction), ct);
        if (claimed == 0) return 0;
        List<ClaimedDelivery> deliveries;
        await using (var connection = await db.OpenAsync(ct))
            deliveries = (await connection.QueryAsync<ClaimedDelivery>(WebhookSql.Claimed, new { Owner = owner })).ToList();

        var results = new ConcurrentBag<SendResult>();
        try
        {
            await Parallel.ForEachAsync(deliveries, new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = ct },
                async (delivery, token) => results.Add(await SendAsync(delivery, token)));
        }
        finally
        {
            // Whatever was sent is recorded, even when stopping; what was not sent is handed back.
            await RecordAsync(owner, deliveries, results.ToList());
        }
        return deliveries.Count;
    }

    async Task<SendResult> SendAsync(ClaimedDelivery delivery, CancellationToken ct)
    {
        var message = ChangeMessage.From(delivery, OffsetTime.Zone(delivery.TimeZone));
        var body = message.ToJsonBytes();
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        request.Headers.TryAddWithoutValidation("webhook-id", message.Id);
        request.Headers.TryAddWithoutValidation("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation("webhook-signature", WebhookSignature.Sign(delivery.Secret, message.Id, timestamp, body));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Rebooking-Webhooks", "1"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.Timeout);
        try
        {
            using var response = await client.Value.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await DrainAsync(response, timeout.Token);
            var code = (int)response.StatusCode;
            return new SendResult(delivery, code is >= 200 and < 300, code, code is >= 300 and < 400 ? $"HTTP {code} (redirects are not followed)" : code is >= 200 and < 300 ? null : $"HTTP {code}");
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return new SendResult(delivery, false, null, $"no answer within {options.Timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e) when (e.InnerException is WebhookAddressRefusedException || e.InnerException?.InnerException is WebhookAddressRefusedException)
        {
            return new SendResult(delivery, false, null, "refused: the host resolves to a private, loopback or reserved address");
        }
        catch (HttpRequestException e)
        {
            return new SendResult(delivery, false, null, $"connection failed ({e.HttpRequestError})");
        }
    }

    /// <summary>Reads at most <see cref="WebhookOptions.MaxResponseBytes"/> of the answer, so a receiver cannot hold a worker with an endless body.</summary>
    async Task DrainAsync(HttpResponseMessage response, CancellationToken ct)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var buffer = new byte[Math.Min(options.MaxResponseBytes, 4096) + 1];
        var left = options.MaxResponseBytes;
        while (left > 0)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, left)), ct);
            if (read == 0) break;
            left -= read;
        }
    }

    async Task RecordAsync(string owner, List<ClaimedDelivery> deliveries, List<SendResult> results)
    {
        var now = clock.GetUtcNow();
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            // A webhook that answered is healthy again, and what waited for it is due at once. This comes first, while
            // this round's own deliveries are still leased: one that failed in this round keeps its own backoff instead
            // of being sent again by the next round of this run (after a timeout the receiver may well have it).
            foreach (var webhook in results.GroupBy(r => r.Delivery.WebhookId).Where(w => w.Any(r => r.Delivered)))
            {
                var p = new { WebhookId = webhook.Key, Now = now };
                await connection.ExecuteAsync(WebhookSql.Healthy, p, transaction);
                await connection.ExecuteAsync(WebhookSql.DueNow, p, transaction);
            }
            foreach (var r in results)
            {
                if (r.Delivered)
                    await connection.ExecuteAsync(WebhookSql.Delivered, new { r.Delivery.DeliveryId, Owner = owner, r.StatusCode, Now = now }, transaction);
                else
                    await connection.ExecuteAsync(WebhookSql.Failed, new
                    {
                        r.Delivery.DeliveryId, Owner = owner, r.StatusCode, r.Error, Now = now,
                        NextAttemptAt = now + RetryDelay(r.Delivery.Attempts + 1),
                    }, transaction);
            }
            // Claims not sent (stopping) go back at once.
            await connection.ExecuteAsync(WebhookSql.Release, new { Owner = owner }, transaction);
            foreach (var webhook in results.GroupBy(r => r.Delivery.WebhookId).Where(w => !w.Any(r => r.Delivered)))
            {
                var p = new { WebhookId = webhook.Key, Now = now };
                await connection.ExecuteAsync(WebhookSql.Unhealthy, new
                {
                    WebhookId = webhook.Key, Now = now, RetryAt = now + RetryDelay(webhook.Max(r => r.Delivery.Attempts) + 1),
                    DisableBefore = now - options.DisableAfter,
                }, transaction);
                if (await connection.ExecuteScalarAsync<string>(WebhookSql.Status, p, transaction) == "disabled")
                    logger.LogWarning("Webhook {WebhookId} has failed for {Days} days and is disabled until an admin redelivers", webhook.Key, options.DisableAfter.TotalDays);
            }
        }, CancellationToken.None);
        var failed = results.Count(r => !r.Delivered);
        if (failed > 0)
            logger.LogInformation("Webhook deliveries: {Delivered} delivered, {Failed} to retry", results.Count - failed, failed);
    }

    public void Dispose()
    {
        if (client.IsValueCreated) client.Value.Dispose();
    }

    sealed record SendResult(ClaimedDelivery Delivery, bool Delivered, int? StatusCode, string? Error);

    sealed class ActiveWebhook
    {
        public Guid Id { get; init; }
        public string TenantId { get; init; } = "";
    }
}

/// <summary>A delivery leased to this worker, with what it takes to send it.</summary>
public sealed class ClaimedDelivery : BookingChange
{
    public long DeliveryId { get; init; }
    public Guid WebhookId { get; init; }
    public int Attempts { get; init; }
    public string Url { get; init; } = "";
    public string Secret { get; init; } = "";
    public string TimeZone { get; init; } = "";
}
