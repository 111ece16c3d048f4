using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Rebooking.Data;

namespace Rebooking.Api.Operations;

/// <summary>
/// The answer of a load balancer's probe. <see cref="Status"/>: <c>live</c>, <c>ready</c>, <c>draining</c>,
/// <c>not-migrated</c> or <c>database-unreachable</c>.
/// </summary>
public sealed record ProbeResponse(string Status, int? SchemaVersion = null);

public static class ProbeApi
{
    /// <summary>The database has this long to answer a readiness probe; load balancers wait a few seconds at most.</summary>
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Drain on SIGTERM (<see cref="HostDrain"/>) and the shutdown timeout that covers it; <c>Drain:*</c> validated here.</summary>
    public static IHostApplicationBuilder AddDrain(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(DrainOptions.Section);
        var settings = section.Get<DrainOptions>() ?? new DrainOptions();
        var errors = settings.Errors().ToList();
        if (errors.Count > 0) throw new OptionsValidationException(DrainOptions.Section, typeof(DrainOptions), errors);
        builder.Services.AddOptions<DrainOptions>().Bind(section);
        // Delay, then the wait for requests in flight (at most the grace time), then Kestrel's own stop: a few seconds more.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.Delay + settings.GraceTime + TimeSpan.FromSeconds(5));
        builder.Services.AddSingleton<HostDrain>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<HostDrain>());
        builder.Services.AddTransient<IStartupFilter, TrackRequestsInFlight>();
        return builder;
    }

    /// <summary><c>GET /health/live</c> for restarts, <c>GET /health/ready</c> for the load balancer. <c>/health</c> stays the monitoring's.</summary>
    public static IEndpointRouteBuilder MapProbes(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Operations").AllowAnonymous();
        group.MapGet("/live", Live);
        group.MapGet("/ready", Ready);
        return app;
    }

    /// <summary>200 while the process runs, until it exits; never touches the database.</summary>
    static Ok<ProbeResponse> Live() => TypedResults.Ok(new ProbeResponse("live"));

    /// <summary>200 when the database answers and is at this build's schema version; 503 while draining or otherwise.</summary>
    static async Task<Results<Ok<ProbeResponse>, JsonHttpResult<ProbeResponse>>> Ready(HostDrain drain, Migrator migrator, CancellationToken ct)
    {
        drain.ReadinessAsked();
        if (drain.IsDraining) return Unavailable(new ProbeResponse("draining"));
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ReadyTimeout);
        try
        {
            var current = await migrator.CurrentVersionAsync(timeout.Token);
            return current == migrator.LatestVersion
                ? TypedResults.Ok(new ProbeResponse("ready", current))
                : Unavailable(new ProbeResponse("not-migrated", current));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException or OperationCanceledException
                                  && !ct.IsCancellationRequested)
        {
            return Unavailable(new ProbeResponse("database-unreachable"));
        }
    }

    static JsonHttpResult<ProbeResponse> Unavailable(ProbeResponse answer) =>
        TypedResults.Json(answer, statusCode: StatusCodes.Status503ServiceUnavailable);

    /// <summary>First in the pipeline: <see cref="HostDrain"/> counts every request, and closes connections while draining.</summary>
    sealed class TrackRequestsInFlight(HostDrain drain) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(drain.TrackAsync);
            next(app);
        };
    }
}
