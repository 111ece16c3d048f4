using System.Data.Common;
using Dapper;
using Rebooking.Data;

namespace Rebooking.Operations;

/// <summary>
/// The database's part of <c>/health</c>: whether it answers, whether it is at this build's schema version,
/// and how long the oldest due message has waited (null when none is due).
/// </summary>
public sealed record DatabaseHealthReport(
    string Provider, bool Answers, int SchemaVersion, int ExpectedSchemaVersion, double? OldestPendingNotificationSeconds)
{
    public bool Migrated => Answers && SchemaVersion == ExpectedSchemaVersion;
}

/// <summary>Reads <see cref="DatabaseHealthReport"/>; never throws for a database that does not answer.</summary>
public sealed class DatabaseHealth(Migrator migrator, Db db, TimeProvider clock)
{
    public async Task<DatabaseHealthReport> CheckAsync(CancellationToken ct = default)
    {
        var provider = db.Provider == DatabaseProvider.Sqlite ? "sqlite" : "sqlserver";
        var expected = migrator.LatestVersion;
        try
        {
            var current = await migrator.CurrentVersionAsync(ct);
            if (current != expected) return new DatabaseHealthReport(provider, true, current, expected, null);
            var now = clock.GetUtcNow();
            await using var connection = await db.OpenAsync(ct);
            var oldest = await connection.ExecuteScalarAsync<DateTimeOffset?>(new CommandDefinition(HealthSql.OldestDue, new { Now = now }, cancellationToken: ct));
            return new DatabaseHealthReport(provider, true, current, expected, oldest is { } due ? Math.Round((now - due).TotalSeconds, 1) : null);
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            return new DatabaseHealthReport(provider, false, 0, expected, null);
        }
    }
}
