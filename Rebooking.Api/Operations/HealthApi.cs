using Microsoft.AspNetCore.Http.HttpResults;
using Rebooking.Data;

namespace Rebooking.Api.Operations;

public sealed record HealthResponse(string Status, string Database, int SchemaVersion, int ExpectedSchemaVersion, string? Error);

public static class HealthApi
{
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", GetHealth).WithTags("Operations").AllowAnonymous();
        return app;
    }

    /// <summary>200 when the database answers and is migrated to this build's version; 503 otherwise.</summary>
    static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> GetHealth(Migrator migrator, Db db, CancellationToken ct)
    {
        var provider = db.Provider == DatabaseProvider.Sqlite ? "sqlite" : "sqlserver";
        try
        {
            var current = await migrator.CurrentVersionAsync(ct);
            var expected = migrator.LatestVersion;
            var response = new HealthResponse(current == expected ? "healthy" : "unhealthy", provider, current, expected,
                current == expected ? null : "The schema is not at this build's version.");
            return current == expected
                ? TypedResults.Ok(response)
                : TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or InvalidOperationException)
        {
            return TypedResults.Json(new HealthResponse("unhealthy", provider, 0, migrator.LatestVersion, "The database does not answer."),
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
