namespace Rebooking.Operations;

/// <summary>
/// The work queue of a process that cannot reach any worker's queue: an Api on SQLite without an in-process
/// worker (each worker's Hangfire queue lives in that worker's memory), tests and the console. It does nothing;
/// the workers' sweep finds the work in our tables within its interval (about a second on SQLite).
/// </summary>
public sealed class SweepOnlyWorkQueue : IWorkQueue
{
    public void OutageChanged(Guid outageId) { }

    public void NotificationsDue(DateTimeOffset? at = null) { }

    public void WebhooksDue(DateTimeOffset? at = null) { }
}
