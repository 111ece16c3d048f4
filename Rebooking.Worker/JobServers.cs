using Hangfire;

namespace Rebooking.Worker;

/// <summary>
/// Hangfire's servers as /health reports them. <see cref="HostedHere"/>: this process runs a server (the
/// embedded worker, or a worker process). <see cref="Alive"/>: servers whose last heartbeat is recent,
/// in this process's in-memory storage (SQLite) or in the shared SQL Server storage (all workers).
/// </summary>
public sealed record JobServersReport(bool HostedHere, int Alive, DateTimeOffset? LastHeartbeat);

/// <summary>Reads <see cref="JobServersReport"/> from Hangfire's monitoring API.</summary>
public sealed class JobServers(JobStorage storage, bool hostedHere)
{
    /// <summary>Three missed heartbeats (30 s apart by default) and a server no longer counts as alive.</summary>
    public static readonly TimeSpan AliveWithin = TimeSpan.FromSeconds(90);

    /// <summary>None alive when Hangfire's storage does not answer (SQL Server down): /health then reports the database too.</summary>
    public JobServersReport Read()
    {
        // Hangfire stamps heartbeats with the system clock, so they are compared with the system clock, not the app's TimeProvider.
        var now = TimeProvider.System.GetUtcNow();
        List<DateTimeOffset?> heartbeats;
        try
        {
            heartbeats = storage.GetMonitoringApi().Servers()
                .Select(s => s.Heartbeat is { } h ? new DateTimeOffset(DateTime.SpecifyKind(h, DateTimeKind.Utc)) : (DateTimeOffset?)null)
                .ToList();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return new JobServersReport(hostedHere, 0, null);
        }
        var alive = heartbeats.Count(h => h is { } beat && now - beat < AliveWithin);
        return new JobServersReport(hostedHere, alive, heartbeats.Max());
    }
}
