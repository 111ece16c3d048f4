using Hangfire;
using Rebooking.Integration;

namespace Rebooking.Worker.Jobs;

/// <summary>
/// Enqueued when booking changes commit, scheduled at a failed delivery's next attempt, and enqueued by the
/// sweep: fans new changes out to the webhooks and sends what is due. All guarantees (order per booking,
/// leases, backoff, disabling) live in <see cref="WebhookDispatcher"/>, whose tables are the durable record;
/// Hangfire never retries this job, so a retry's timing stays with the dispatcher's backoff.
/// </summary>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
internal sealed class DeliverWebhooksJob(WebhookDispatcher dispatcher, HangfireWorkQueue queue, IHostApplicationLifetime host,
    ILogger<DeliverWebhooksJob> logger)
{
    public Task RunAsync(CancellationToken ct)
    {
        queue.WebhooksStarted();
        return JobRun.Safely(dispatcher.DeliverDueAsync, logger, "Delivering webhooks", host, ct);
    }
}
