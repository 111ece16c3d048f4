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

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        try
        {
            await processor.RunPendingAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Outage processing failed; the next fire retries");
        }
    }
}

/// <summary>Every minute: open-ended outages take in the next day once the roll time has passed.</summary>
internal sealed class RollOutagesJob(OutageRoller roller, ILogger<RollOutagesJob> logger) : IJob
{
    public static readonly JobKey Key = new("roll-outages", "rebooking");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default)
    {
        try
        {
            await roller.RollAsync(ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            logger.LogError(e, "Rolling open-ended outages failed; the next fire retries");
        }
    }
}
