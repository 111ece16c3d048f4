using Quartz;
using Rebooking.Outages;

namespace Rebooking.Worker.Jobs;

/// <summary>
/// Every second: bring declared, changed and rolled outages up to date. A thin adapter; the work and its
/// guarantees live in <see cref="OutageProcessor"/>. Several fires or several workers at once are harmless:
/// each outage is claimed under a lease in our own tables.
/// </summary>
internal sealed class SyncOutagesJob(OutageProcessor processor, IHostApplicationLifetime host, ILogger<SyncOutagesJob> logger) : IJob
{
    public static readonly JobKey Key = new("sync-outages", "rebooking");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        JobRun.Safely(processor.RunPendingAsync, logger, "Outage processing", host, ct);
}

/// <summary>Every minute: open-ended outages take in the next day once the roll time has passed.</summary>
internal sealed class RollOutagesJob(OutageRoller roller, IHostApplicationLifetime host, ILogger<RollOutagesJob> logger) : IJob
{
    public static readonly JobKey Key = new("roll-outages", "rebooking");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        JobRun.Safely(roller.RollAsync, logger, "Rolling open-ended outages", host, ct);
}

/// <summary>Daily at 03:15 (Europe/Berlin): DSGVO retention, see <see cref="DataRetention"/>.</summary>
internal sealed class RetentionJob(DataRetention retention, IHostApplicationLifetime host, ILogger<RetentionJob> logger) : IJob
{
    public static readonly JobKey Key = new("data-retention", "rebooking");

    public ValueTask Execute(IJobExecutionContext context, CancellationToken ct = default) =>
        JobRun.Safely(retention.CleanAsync, logger, "Data retention", host, ct);
}

/// <summary>
/// How every job runs its work: nothing escapes into the scheduler; a failure is logged and the next fire
/// retries. The work is cancelled when the scheduler cancels the job or when the host starts stopping
/// (SIGTERM): the work classes then end their current transaction and hand their leases back, instead of
/// running on until the host's shutdown timeout cuts them off.
/// </summary>
internal static class JobRun
{
    public static async ValueTask Safely(Func<CancellationToken, Task<int>> work, ILogger logger, string what, IHostApplicationLifetime host,
        CancellationToken ct)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(ct, host.ApplicationStopping);
        try
        {
            await work(stopping.Token);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            logger.LogInformation("{Work} stopped for shutdown; its leases were handed back", what);
        }
        catch (Exception e)
        {
            logger.LogError(e, "{Work} failed; the next fire retries", what);
        }
    }
}
