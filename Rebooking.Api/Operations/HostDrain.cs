using Microsoft.Extensions.Options;

namespace Rebooking.Api.Operations;

/// <summary>
/// Drains this host on SIGTERM (systemd, Kubernetes, Ctrl+C) before the framework stops Kestrel: from the
/// signal on, <c>/health/ready</c> answers 503 and every answer carries <c>Connection: close</c>, so the load
/// balancer takes the host out and clients stop reusing its connections; after <see cref="DrainOptions.Delay"/>,
/// once no request is in flight (at most <see cref="DrainOptions.GraceTime"/> later) Kestrel stops.
/// </summary>
/// <remarks>
/// Kestrel itself waits for requests in flight when it stops, but it cancels a request body that is still
/// arriving (the handler sees "PipeReader.ReadAsync was canceled" and answers 500): a citizen on a slow mobile
/// connection, in the middle of booking, would lose the booking. So the host waits for its own count of
/// requests in flight to reach zero before it lets Kestrel stop.
/// </remarks>
public sealed class HostDrain(IOptions<DrainOptions> options, TimeProvider clock, ILogger<HostDrain> logger) : IHostedLifecycleService
{
    volatile bool draining;
    volatile bool probed;
    int inFlight;

    /// <summary>Called by <c>/health/ready</c>: from then on a load balancer is known to watch this host.</summary>
    public void ReadinessAsked() => probed = true;

    /// <summary>True from the stop signal on.</summary>
    public bool IsDraining => draining;

    /// <summary>Requests that have entered the pipeline and not yet left it.</summary>
    public int InFlight => Volatile.Read(ref inFlight);

    /// <summary>Counts the request in flight until it has been answered; while draining, it closes its connection.</summary>
    public async Task TrackAsync(HttpContext context, RequestDelegate next)
    {
        Interlocked.Increment(ref inFlight);
        try
        {
            if (draining) context.Response.Headers.Connection = "close";
            else context.Response.OnStarting(() =>
            {
                if (draining) context.Response.Headers.Connection = "close";
                return Task.CompletedTask;
            });
            await next(context);
        }
        finally
        {
            Interlocked.Decrement(ref inFlight);
        }
    }

    /// <summary>Runs before any hosted service stops, Kestrel included; the host's shutdown timeout covers delay and grace time.</summary>
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        draining = true;
        // Nobody asked for readiness, so no balancer has to notice: a single host (Ctrl+C on `dotnet run`) stops at once.
        var delay = probed ? options.Value.Delay : TimeSpan.Zero;
        logger.LogInformation("Stopping: draining for {Delay}, then up to {Grace} for requests in flight", delay, options.Value.GraceTime);
        try
        {
            await Task.Delay(delay, clock, cancellationToken);
            var until = clock.GetUtcNow() + options.Value.GraceTime;
            while (InFlight > 0 && clock.GetUtcNow() < until) await Task.Delay(PollInFlight, clock, cancellationToken);
        }
        catch (OperationCanceledException) { }
        if (InFlight > 0) logger.LogWarning("Grace time over with {Count} request(s) in flight; stopping anyway", InFlight);
        else logger.LogInformation("Drained: no request in flight; stopping");
    }

    static readonly TimeSpan PollInFlight = TimeSpan.FromMilliseconds(50);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
