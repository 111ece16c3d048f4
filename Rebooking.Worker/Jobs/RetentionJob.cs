using Hangfire;
using Rebooking.Outages;

namespace Rebooking.Worker.Jobs;

/// <summary>Recurring, daily at 03:15 Europe/Berlin: DSGVO retention, see <see cref="DataRetention"/>.</summary>
[AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
internal sealed class RetentionJob(DataRetention retention, IHostApplicationLifetime host, ILogger<RetentionJob> logger)
{
    public const string Id = "data-retention";

    public Task RunAsync(CancellationToken ct) => JobRun.Safely(retention.CleanAsync, logger, "Data retention", host, ct);
}
