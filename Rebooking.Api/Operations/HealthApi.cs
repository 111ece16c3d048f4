using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Rebooking.Operations;
using Rebooking.Worker;

namespace Rebooking.Api.Operations;

/// <summary>
/// <c>GET /health</c>. <see cref="Scheduler"/>: <c>running</c> when this process hosts a Hangfire server that is
/// alive, <c>stopped</c> when it hosts one that is not, <c>not-hosted</c> when it hosts none (an Api without
/// an in-process worker). <see cref="JobServers"/>/<see cref="LastHeartbeat"/>: Hangfire servers alive in the
/// storage this process sees (its own in-memory storage on SQLite; every worker's on SQL Server) and the latest
/// heartbeat; null when this process has no Hangfire storage. <see cref="OldestPendingNotificationSeconds"/>:
/// how long the oldest message that is due has waited (null when none is due) — the first sign of stuck or
/// missing workers.
/// </summary>
public sealed record HealthResponse(
    string Status, string Database, int SchemaVersion, int ExpectedSchemaVersion, string Scheduler, double? OldestPendingNotificationSeconds,
    string? Error, int? JobServers = null, DateTimeOffset? LastHeartbeat = null);

/// <summary>
/// /health as an ASP.NET Core health check: 200 when the database answers and is migrated to this build's
/// version (healthy, or degraded when messages wait longer than <see cref="PendingTooLong"/> or no Hangfire
/// server is alive); 503 (unhealthy) otherwise.
/// </summary>
public static class HealthApi
{
    /// <summary>A message due for longer than this makes the service "degraded" (still 200: the Api itself works).</summary>
    public static readonly TimeSpan PendingTooLong = TimeSpan.FromMinutes(5);

    const string Name = "rebooking";

    public static IHostApplicationBuilder AddHealth(this IHostApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<RebookingHealthCheck>(Name);
        return builder;
    }

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            Predicate = check => check.Name == Name,
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = WriteAsync,
        }).WithTags("Operations").AllowAnonymous();
        return app;
    }

    /// <summary>The check's <see cref="HealthResponse"/>, in the app's JSON settings (camelCase), with the status code already set.</summary>
    static Task WriteAsync(HttpContext http, HealthReport report)
    {
        var response = report.Entries.TryGetValue(Name, out var entry) && entry.Data.TryGetValue(nameof(HealthResponse), out var data)
            ? (HealthResponse)data
            : new HealthResponse("unhealthy", "unknown", 0, 0, "unknown", null, "The health check did not run.");
        return Results.Json(response, statusCode: http.Response.StatusCode).ExecuteAsync(http);
    }

    /// <summary>The rules behind /health; the figures come from <see cref="DatabaseHealth"/> and, where Hangfire runs, <see cref="Worker.JobServers"/>.</summary>
    internal sealed class RebookingHealthCheck(DatabaseHealth database, IServiceProvider services) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
        {
            var servers = services.GetService<JobServers>()?.Read();
            var scheduler = servers is not { HostedHere: true } ? "not-hosted" : servers.Alive > 0 ? "running" : "stopped";
            var db = await database.CheckAsync(ct);
            if (!db.Answers)
                return Unhealthy(new HealthResponse("unhealthy", db.Provider, 0, db.ExpectedSchemaVersion, scheduler, null,
                    "The database does not answer.", servers?.Alive, servers?.LastHeartbeat));
            if (!db.Migrated)
                return Unhealthy(new HealthResponse("unhealthy", db.Provider, db.SchemaVersion, db.ExpectedSchemaVersion, scheduler, null,
                    "The schema is not at this build's version.", servers?.Alive, servers?.LastHeartbeat));
            var stuck = db.OldestPendingNotificationSeconds > PendingTooLong.TotalSeconds || scheduler == "stopped" || servers is { Alive: 0 };
            var response = new HealthResponse(stuck ? "degraded" : "healthy", db.Provider, db.SchemaVersion, db.ExpectedSchemaVersion, scheduler,
                db.OldestPendingNotificationSeconds, stuck ? "Notifications wait longer than expected: check that workers run." : null,
                servers?.Alive, servers?.LastHeartbeat);
            var data = new Dictionary<string, object> { [nameof(HealthResponse)] = response };
            return stuck ? HealthCheckResult.Degraded(response.Error, data: data) : HealthCheckResult.Healthy(data: data);
        }

        static HealthCheckResult Unhealthy(HealthResponse response) =>
            HealthCheckResult.Unhealthy(response.Error, data: new Dictionary<string, object> { [nameof(HealthResponse)] = response });
    }
}
