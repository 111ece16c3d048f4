using Hangfire;
using Rebooking.Outages;

namespace Rebooking.Worker.Jobs;

/// <summary>
/// Recurring, daily at <c>Outages:RollAtLocalTime</c> in each tenant time zone in use: open-ended outages take in
/// the next day (<see cref="OutageRoller"/>; each outage that grew is signalled for convergence).
/// </summary>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
internal sealed class RollOutagesJob(OutageRoller roller, IHostApplicationLifetime host, ILogger<RollOutagesJob> logger)
{
    /// <summary>The recurring job's id for one time zone, e.g. <c>roll-outages:Europe.Berlin</c>.</summary>
    public static string IdFor(string timeZone) => $"roll-outages:{timeZone.Replace('/', '.')}";

    public Task RunAsync(CancellationToken ct) => JobRun.Safely(roller.RollAsync, logger, "Rolling open-ended outages", host, ct);
}
