using System.Collections.Concurrent;
using Hangfire;
using Rebooking.Operations;
using Rebooking.Worker.Jobs;

namespace Rebooking.Worker;

/// <summary>
/// <see cref="IWorkQueue"/> on Hangfire: enqueues <see cref="ConvergeOutageJob"/> and <see cref="DispatchNotificationsJob"/>
/// (or schedules the latter at a retry's due time). Jobs carry ids only.
/// <para>
/// With the in-memory storage every job this process enqueues also runs in this process, so signals are
/// coalesced exactly: while a job of a kind is enqueued and has not started, a further signal adds none (the
/// job, once started, drains everything committed before it looks). With SQL Server another worker may take
/// the job, so every signal enqueues (job rows expire after minutes). Scheduled dispatches are coalesced to
/// one per second on both. A failing enqueue is logged and dropped: the work is in our tables and the sweep
/// finds it.
/// </para>
/// </summary>
internal sealed class HangfireWorkQueue(IBackgroundJobClient jobs, TimeProvider clock, bool coalesce, ILogger<HangfireWorkQueue> logger) : IWorkQueue
{
    int convergencePending;
    int dispatchPending;
    readonly ConcurrentDictionary<long, byte> scheduledSeconds = new();

    public void OutageChanged(Guid outageId)
    {
        if (coalesce && Interlocked.Exchange(ref convergencePending, 1) == 1) return;
        if (!TryEnqueue(() => jobs.Enqueue<ConvergeOutageJob>(j => j.RunAsync(outageId, CancellationToken.None)))) Volatile.Write(ref convergencePending, 0);
    }

    public void NotificationsDue(DateTimeOffset? at = null)
    {
        var now = clock.GetUtcNow();
        if (at is not { } due || due <= now)
        {
            if (coalesce && Interlocked.Exchange(ref dispatchPending, 1) == 1) return;
            if (!TryEnqueue(() => jobs.Enqueue<DispatchNotificationsJob>(j => j.RunAsync(CancellationToken.None)))) Volatile.Write(ref dispatchPending, 0);
            return;
        }
        // Rounded up to the next whole second, so the job never starts before the message is due.
        var second = (due.ToUnixTimeMilliseconds() + 999) / 1000;
        foreach (var past in scheduledSeconds.Keys.Where(s => s < now.ToUnixTimeSeconds())) scheduledSeconds.TryRemove(past, out _);
        if (!scheduledSeconds.TryAdd(second, 0)) return;
        if (!TryEnqueue(() => jobs.Schedule<DispatchNotificationsJob>(j => j.RunAsync(CancellationToken.None), DateTimeOffset.FromUnixTimeSeconds(second))))
            scheduledSeconds.TryRemove(second, out _);
    }

    /// <summary>Called by <see cref="ConvergeOutageJob"/> as it starts: from now on a new signal needs a new job.</summary>
    public void ConvergenceStarted() => Volatile.Write(ref convergencePending, 0);

    /// <summary>Called by <see cref="DispatchNotificationsJob"/> as it starts.</summary>
    public void DispatchStarted() => Volatile.Write(ref dispatchPending, 0);

    bool TryEnqueue(Func<string> enqueue)
    {
        try
        {
            enqueue();
            return true;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not enqueue a job; the sweep will find the work");
            return false;
        }
    }
}
