using Quartz;
using Rebooking.Outages;

namespace Rebooking.Worker.Jobs;

/// <summary>
/// Every second: bring declared, changed and rolled outages up to date. A thin adapter; the work and its
/// guarantees live in <see cref="OutageProcessor"/>. Several fires or several workers at once are harmless:
/// each outage is claimed under a lease in our own tables.
/// </summary>
internal sealed class SyncOutagesJob(OutageProcessor processor, ILogger<SyncOutagesJob> logger) : IJob
{
    public static readonly JobKey Key = new("sync-outages", "rebooking");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        JobRun.Safely(processor.RunPendingAsync, logger, "Outage processing", ct);
}

/// <summary>Every minute: open-ended outages take in the next day once the roll time has passed.</summary>
internal sealed class RollOutagesJob(OutageRoller roller, ILogger<RollOutagesJob> logger) : IJob
{
    public static readonly JobKey Key = new("roll-outages", "rebooking");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        JobRun.Safely(roller.RollAsync, logger, "Rolling open-ended outages", ct);
}

/// <summary>Daily at 03:15 (Europe/Berlin): DSGVO retention, see <see cref="DataRetention"/>.</summary>
internal sealed class RetentionJob(DataRetention retention, ILogger<RetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("data-retention", "rebooking");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        JobRun.Safely(retention.CleanAsync, logger, "Data retention", ct);
}

/// <summary>How every job runs its work: nothing escapes into the scheduler; a failure is logged and the next fire retries.</summary>
internal static class JobRun
{
    public static async ValueTask Safely(Func<CancellationToken, Task<int>> work, ILogger logger, string what, CancellationToken ct)
    {
        try
        {
            await work(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Work} failed; the next fire retries", what);
        }
    }
}
