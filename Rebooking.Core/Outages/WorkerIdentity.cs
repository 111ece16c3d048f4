namespace Rebooking.Outages;

/// <summary>The name a worker process leases work under; unique per process start.</summary>
public sealed record WorkerIdentity(string Name)
{
    public static WorkerIdentity ForThisProcess() =>
        new($"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..6]}");
}
