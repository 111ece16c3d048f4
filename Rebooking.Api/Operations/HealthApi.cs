using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Quartz;
using Rebooking.Data;

namespace Rebooking.Api.Operations;

/// <summary>
/// <c>GET /health</c>. <see cref="Scheduler"/>: the in-process scheduler's state (running, standby, created ...) or not-hosted (the Api runs without an in-process
/// worker). <see cref="OldestPendingNotificationSeconds"/>: how long the oldest message that is due has waited
/// (null when none is due) — the first sign of stuck or missing workers.
/// </summary>
public sealed record HealthResponse(
    string Status, string Database, int SchemaVersion, int ExpectedSchemaVersion, string Scheduler, double? OldestPendingNotificationSeconds,
    string? Error);

public static class HealthApi
{
    /// <summary>A message due for longer than this makes the service "degraded" (still 200: the Api itself works).</summary>
    public static readonly TimeSpan PendingTooLong = TimeSpan.FromMinutes(5);

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth).WithTags("Operations").AllowAnonymous();
        return app;
    }

    const string OldestDue = "SELECT MIN(due_at) FROM notifications WHERE status = 'queued' AND due_at <= @Now";

    /// <summary>200 when the database answers and is migrated to this build's version (healthy or degraded); 503 otherwise.</summary>
    static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealth(
        Migrator migrator, Db db, TimeProvider clock, IServiceProvider services, CancellationToken ct)
    {
        var provider = db.Provider == DatabaseProvider.Sqlite ? "sqlite" : "sqlserver";
        var scheduler = await SchedulerStateAsync(services, ct);
        try
        {
            var current = await migrator.CurrentVersionAsync(ct);
            var expected = migrator.LatestVersion;
            if (current != expected)
                return TypedResults.Json(new HealthResponse("unhealthy", provider, current, expected, scheduler, null,
                    "The schema is not at this build's version."), statusCode: StatusCodes.Status503ServiceUnavailable);
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenAsync(ct);
            var oldest = await connection.ExecuteScalarAsync<DateTimeOffset?>(OldestDue, new { Now = now });
            double? age = oldest is { } due ? Math.Round((now - due).TotalSeconds, 1) : null;
            var stuck = age > PendingTooLong.TotalSeconds || scheduler is not ("running" or "not-hosted");
            return TypedResults.Ok(new HealthResponse(stuck ? "degraded" : "healthy", provider, current, expected, scheduler, age,
                stuck ? "Notifications wait longer than expected: check that workers run." : null));
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return TypedResults.Json(new HealthResponse("unhealthy", provider, 0, migrator.LatestVersion, scheduler, null, "The database does not answer."),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }

    static async Task<string> SchedulerStateAsync(IServiceProvider services, CancellationToken ct)
    {
        if (services.GetService<ISchedulerFactory>() is not { } factory) return "not-hosted";
        var scheduler = await factory.GetScheduler(ct);
        return (await scheduler.GetStatus(ct)).ToString().ToLowerInvariant();
    }
}
