using Hangfire;
using Rebooking.Outages;

namespace Rebooking.Worker.Jobs;

/// <summary>
/// Enqueued after a declaration, change, resolution or roll has committed, and by the sweep: brings outages up
/// to date. A thin adapter; the work and its guarantees live in <see cref="OutageProcessor"/>, which claims
/// every pending outage under a lease in our tables, so the id only says which change asked for the run (as
/// the dashboard shows it). Two runs at once, here or in another worker, are harmless.
/// </summary>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
internal sealed class ConvergeOutageJob(OutageProcessor processor, HangfireWorkQueue queue, IHostApplicationLifetime host, ILogger<ConvergeOutageJob> logger)
{
    public Task RunAsync(Guid outageId, CancellationToken ct)
    {
        queue.ConvergenceStarted();
        return JobRun.Safely(processor.RunPendingAsync, logger, "Outage processing", host, ct);
    }
}
