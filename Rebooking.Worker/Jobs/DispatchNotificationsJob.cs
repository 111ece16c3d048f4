using Quartz;
using Rebooking.Notifications;

namespace Rebooking.Worker.Jobs;

/// <summary>Every second: send what is due. The guarantees (one send per message, reconciliation, retries) live in <see cref="NotificationDispatcher"/>.</summary>
internal sealed class DispatchNotificationsJob(NotificationDispatcher dispatcher, IHostApplicationLifetime host, ILogger<DispatchNotificationsJob> logger) : IJob
{
    public static readonly JobKey Key = new("dispatch-notifications", "rebooking");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        JobRun.Safely(dispatcher.RunPendingAsync, logger, "Dispatching notifications", host, ct);
}
