using Hangfire;
using Rebooking.Notifications;

namespace Rebooking.Worker.Jobs;

/// <summary>
/// Enqueued when messages are queued, scheduled at a retry's <c>due_at</c>, and enqueued by the sweep: sends
/// what is due. The guarantees (one send per message, reconciliation, retries with backoff in our tables) live
/// in <see cref="NotificationDispatcher"/>; Hangfire never retries this job, so it can never repeat a send.
/// </summary>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
internal sealed class DispatchNotificationsJob(NotificationDispatcher dispatcher, HangfireWorkQueue queue, IHostApplicationLifetime host,
    ILogger<DispatchNotificationsJob> logger)
{
    public Task RunAsync(CancellationToken ct)
    {
        queue.DispatchStarted();
        return JobRun.Safely(dispatcher.RunPendingAsync, logger, "Dispatching notifications", host, ct);
    }
}
