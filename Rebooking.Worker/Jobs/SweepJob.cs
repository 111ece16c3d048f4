using Hangfire;
using Rebooking.Operations;

namespace Rebooking.Worker.Jobs;

/// <summary>Recurring (every second on SQLite, every minute on SQL Server): re-signals work that a lost enqueue left in our tables, see <see cref="WorkSweep"/>.</summary>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
internal sealed class SweepJob(WorkSweep sweep, IHostApplicationLifetime host, ILogger<SweepJob> logger)
{
    public const string Id = "sweep";

    public Task RunAsync(CancellationToken ct) => JobRun.Safely(sweep.SweepAsync, logger, "Sweep", host, ct);
}
