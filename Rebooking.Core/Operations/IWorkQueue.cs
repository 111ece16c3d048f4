namespace Rebooking.Operations;

/// <summary>
/// The seam between the domain and whatever runs background work (Hangfire in <c>Rebooking.Worker</c>). The
/// domain calls it only after the transaction that made the work has committed; the work itself is recorded
/// in our tables (an outage's desired version, a queued message's <c>due_at</c>), so a signal that is lost
/// (a crash between commit and signal, a queue in another process's memory) only delays the work until the
/// next sweep. Calls never throw and never block on I/O for long; they carry ids and times only.
/// </summary>
public interface IWorkQueue
{
    /// <summary>The outage's definition changed (declared, changed, resolved, rolled): bring it up to date.</summary>
    void OutageChanged(Guid outageId);

    /// <summary>Messages are due now, or at <paramref name="at"/> (a retry's <c>due_at</c>, UTC).</summary>
    void NotificationsDue(DateTimeOffset? at = null);

    /// <summary>
    /// Booking changes were recorded for the appointment system, or webhook deliveries are due now or at
    /// <paramref name="at"/> (a retry's <c>next_attempt_at</c>, UTC): fan them out and deliver.
    /// </summary>
    void WebhooksDue(DateTimeOffset? at = null);
}
