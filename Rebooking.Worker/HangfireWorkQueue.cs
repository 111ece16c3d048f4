using System.Collections.Concurrent;
using Hangfire;
using Rebooking.Operations;
using Rebooking.Worker.Jobs;

namespace Rebooking.Worker;

/// <summary>
/// <see cref="IWorkQueue"/> on Hangfire: enqueues <see cref="ConvergeOutageJob"/>, <see cref="DispatchNotificationsJob"/>
/// and <see cref="DeliverWebhooksJob"/> (or schedules the latter two at a retry's due time). Jobs carry ids only.
/// <para>
/// With the in-memory storage every job this process enqueues also runs in this process, so signals are
/// coalesced exactly: while a job of a kind is enqueued and has not started, a further signal adds none (the
/// job, once started, drains everything committed before it looks). With SQL Server another worker may take
/// the job, so every signal enqueues (job rows expire after minutes). Scheduled runs are coalesced to one per
/// second and kind on both. A failing enqueue is logged and dropped: the work is in our tables and the sweep
/// finds it.
/// </para>
/// </summary>
internal sealed class HangfireWorkQueue(IBackgroundJobClient jobs, TimeProvider clock, bool coalesce, ILogger<HangfireWorkQueue> logger) : IWorkQueue
{
    int convergencePending;
    readonly DueRuns dispatch = new();
    readonly DueRuns webhooks = new();

    public void OutageChanged(Guid outageId)
    {
        if (coalesce && Interlocked.Exchange(ref convergencePending, 1) == 1) return;
        if (!TryEnqueue(() => jobs.Enqueue<ConvergeOutageJob>(j => j.RunAsync(outageId, CancellationToken.None)))) Volatile.Write(ref convergencePending, 0);
    }

    public void NotificationsDue(DateTimeOffset? at = null) => Due(dispatch, at,
        () => jobs.Enqueue<DispatchNotificationsJob>(j => j.RunAsync(CancellationToken.None)),
        when => jobs.Schedule<DispatchNotificationsJob>(j => j.RunAsync(CancellationToken.None), when));

    public void WebhooksDue(DateTimeOffset? at = null) => Due(webhooks, at,
        () => jobs.Enqueue<DeliverWebhooksJob>(j => j.RunAsync(CancellationToken.None)),
        when => jobs.Schedule<DeliverWebhooksJob>(j => j.RunAsync(CancellationToken.None), when));

    /// <summary>Called by <see cref="ConvergeOutageJob"/> as it starts: from now on a new signal needs a new job.</summary>
    public void ConvergenceStarted() => Volatile.Write(ref convergencePending, 0);

    /// <summary>Called by <see cref="DispatchNotificationsJob"/> as it starts.</summary>
    public void DispatchStarted() => dispatch.Started();

    /// <summary>Called by <see cref="DeliverWebhooksJob"/> as it starts.</summary>
    public void WebhooksStarted() => webhooks.Started();

    void Due(DueRuns runs, DateTimeOffset? at, Func<string> enqueue, Func<DateTimeOffset, string> schedule)
    {
        var now = clock.GetUtcNow();
        if (at is not { } due || due <= now)
        {
            if (coalesce && !runs.TryMarkPending()) return;
            if (!TryEnqueue(enqueue)) runs.Started();
            return;
        }
        // Rounded up to the next whole second, so the job never starts before the work is due.
        var second = (due.ToUnixTimeMilliseconds() + 999) / 1000;
        if (!runs.TryReserveSecond(second, now.ToUnixTimeSeconds())) return;
        if (!TryEnqueue(() => schedule(DateTimeOffset.FromUnixTimeSeconds(second)))) runs.ReleaseSecond(second);
    }

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

    /// <summary>The coalescing state of one kind of "work is due" job: one enqueued run, one scheduled run per second.</summary>
    sealed class DueRuns
    {
        int pending;
        readonly ConcurrentDictionary<long, byte> scheduledSeconds = new();

        /// <summary>True when no run of this kind was waiting to start (the caller enqueues one).</summary>
        public bool TryMarkPending() => Interlocked.Exchange(ref pending, 1) == 0;

        public void Started() => Volatile.Write(ref pending, 0);

        /// <summary>True when no run is scheduled for <paramref name="second"/> yet; forgets seconds before <paramref name="nowSecond"/>.</summary>
        public bool TryReserveSecond(long second, long nowSecond)
        {
            foreach (var past in scheduledSeconds.Keys.Where(s => s < nowSecond)) scheduledSeconds.TryRemove(past, out _);
            return scheduledSeconds.TryAdd(second, 0);
        }

        public void ReleaseSecond(long second) => scheduledSeconds.TryRemove(second, out _);
    }
}
