namespace Rebooking.Worker;

/// <summary><c>Worker:*</c> settings.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>
    /// How often the sweep looks for work a lost enqueue left behind. Default: 1 s on SQLite (separate worker
    /// processes cannot reach each other's in-memory queues, so the sweep is how they start work the Api or
    /// another worker recorded), 1 min on SQL Server (every process enqueues into the shared storage). Whole
    /// seconds, 1 s to 1 h; <c>Worker:PollInterval</c>, the Quartz-era name, is read when this is not set.
    /// </summary>
    public TimeSpan? SweepInterval { get; set; }

    /// <summary>The Quartz-era name of <see cref="SweepInterval"/>; values below a second mean a second.</summary>
    public TimeSpan? PollInterval { get; set; }

    /// <summary>Hangfire worker threads per process (default 5): each job mostly waits on the database or a provider.</summary>
    public int JobThreads { get; set; } = 5;

    public TimeSpan EffectiveSweepInterval(bool sqlServer)
    {
        var interval = SweepInterval ?? PollInterval ?? (sqlServer ? TimeSpan.FromMinutes(1) : TimeSpan.FromSeconds(1));
        return TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(interval.TotalSeconds), 1, 3600));
    }

    /// <summary>Hangfire's cron (seconds field first when below a minute) for an interval from <see cref="EffectiveSweepInterval"/>.</summary>
    public static string Cron(TimeSpan interval)
    {
        var seconds = (int)interval.TotalSeconds;
        if (seconds < 60) return seconds == 1 ? "* * * * * *" : $"*/{seconds} * * * * *";
        var minutes = Math.Max(1, seconds / 60);
        return minutes == 1 ? "* * * * *" : minutes >= 60 ? "0 * * * *" : $"*/{minutes} * * * *";
    }
}
