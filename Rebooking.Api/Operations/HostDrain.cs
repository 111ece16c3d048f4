using Microsoft.Extensions.Options;

namespace Rebooking.Api.Operations;

/// <summary>
/// Drains this host on SIGTERM (systemd, Kubernetes, Ctrl+C) before the framework stops Kestrel: from the
/// signal on, <c>/health/ready</c> answers 503 and every answer carries <c>Connection: close</c>, so the load
/// balancer takes the host out and clients stop reusing its connections; after <see cref="DrainOptions.Delay"/>
/// the listener closes and the requests in flight get up to <see cref="DrainOptions.GraceTime"/> to finish.
/// </summary>
public sealed class HostDrain(IOptions<DrainOptions> options, TimeProvider clock, ILogger<HostDrain> logger) : IHostedLifecycleService
{
    volatile bool draining;

    /// <summary>True from the stop signal on.</summary>
    public bool IsDraining => draining;

    /// <summary>Runs before any hosted service stops, Kestrel included; the host's shutdown timeout covers delay and grace time.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        draining = true;
        logger.LogInformation("Stopping: draining for {Delay} before closing the listener, then up to {Grace} for requests in flight",
            options.Value.Delay, options.Value.GraceTime);
        try { await Task.Delay(options.Value.Delay, clock, cancellationToken); }
        catch (OperationCanceledException) { }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
