using Quartz;
using Rebooking.Integration;

namespace Rebooking.Worker.Jobs;

/// <summary>
/// Every poll: fan out new changes and send the due webhook deliveries. All guarantees (order per booking,
/// leases, backoff, disabling) live in <see cref="WebhookDispatcher"/>; this adapter only calls
/// <see cref="WebhookDispatcher.DeliverDueAsync"/>.
/// </summary>
internal sealed class DeliverWebhooksJob(WebhookDispatcher dispatcher, IHostApplicationLifetime host, ILogger<DeliverWebhooksJob> logger) : IJob
{
    public static readonly JobKey Key = new("deliver-webhooks", "rebooking");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        JobRun.Safely(dispatcher.DeliverDueAsync, logger, "Delivering webhooks", host, ct);
}
