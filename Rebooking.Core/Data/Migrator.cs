using System.Data.Common;
using System.Reflection;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.Logging;

namespace Rebooking.Data;

/// <summary>A numbered, forward-only migration script from <c>db/&lt;provider&gt;/NNNN_name.sql</c>.</summary>
public sealed record Migration(int Version, string Name, string Script);

/// <summary>Raised when the database was migrated by newer code than this build knows.</summary>
public sealed class DatabaseTooNewException(int databaseVersion, int codeVersion) : Exception(
    $"The database is at schema version {databaseVersion}, but this build only knows up to {codeVersion}. " +
    "Deploy the newer build instead of starting this one.")
{
    public int DatabaseVersion { get; } = databaseVersion;
    public int CodeVersion { get; } = codeVersion;
}

/// <summary>
/// Applies the embedded migration scripts in order and records each in <c>schema_versions</c>.
/// Safe when several processes start at once: on SQLite the whole run holds the write lock
/// (BEGIN IMMEDIATE), on SQL Server an exclusive application lock (<c>sp_getapplock</c>); the loser of the
/// race waits, then finds nothing left to do. Refuses to run against a database newer than the code.
/// </summary>
public sealed partial class Migrator(Db db, ILogger<Migrator> logger, TimeProvider clock)
{
    public static IReadOnlyList<Migration> Load(DatabaseProvider provider)
    {
        var folder = provider == DatabaseProvider.Sqlite ? "sqlite" : "sqlserver";
        var assembly = typeof(Migrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ScriptName().Match(resource);
            if (!match.Success || match.Groups["provider"].Value != folder) continue;
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new Migration(int.Parse(match.Groups["version"].Value), match.Groups["name"].Value, reader.ReadToEnd()));
        }
        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
            if (migrations[i].Version != i + 1)
                throw new InvalidOperationException($"Migrations for {folder} must be numbered 1..n without gaps; found {migrations[i].Version} at position {i + 1}.");
        return migrations;
    }

    public int LatestVersion => Load(db.Provider).Count;

    /// <summary>Brings the schema up to date. Returns the number of migrations applied by this call.</summary>
    public async Task<int> MigrateAsync(CancellationToken ct = default)
    {
        var migrations = Load(db.Provider);
        var applied = db.Provider == DatabaseProvider.Sqlite
            ? await MigrateSqliteAsync(migrations, ct)
            : await MigrateSqlServerAsync(migrations, ct);
        if (applied > 0) logger.LogInformation("Applied {Count} migration(s); schema is at version {Version}", applied, migrations.Count);
        return applied;
    }

    /// <summary>The version recorded in the database, or 0 for an empty database.</summary>
    public async Task<int> CurrentVersionAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await CurrentVersionAsync(connection, null);
    }

    async Task<int> MigrateSqliteAsync(IReadOnlyList<Migration> migrations, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        // WAL lets readers continue while a writer commits; it is a property of the file and cannot be set
        // inside a transaction.
        await connection.ExecuteAsync("PRAGMA journal_mode = WAL;");
        await using var transaction = ((Microsoft.Data.Sqlite.SqliteConnection)connection).BeginTransaction(deferred: false);
        await connection.ExecuteAsync(VersionsTable.Sqlite, transaction: transaction);
        var current = await CurrentVersionAsync(connection, transaction);
        var pending = Pending(migrations, current);
        foreach (var migration in pending)
        {
            await connection.ExecuteAsync(migration.Script, transaction: transaction);
            await connection.ExecuteAsync(RecordVersion, new { migration.Version, migration.Name, AppliedAt = clock.GetUtcNow() }, transaction);
        }
        await transaction.CommitAsync(ct);
        return pending.Count;
    }

    async Task<int> MigrateSqlServerAsync(IReadOnlyList<Migration> migrations, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        var lockResult = await connection.ExecuteScalarAsync<int>(
            "DECLARE @r int; EXEC @r = sp_getapplock @Resource = 'rebooking-migrations', @LockMode = 'Exclusive', " +
            "@LockOwner = 'Session', @LockTimeout = 120000; SELECT @r;");
        if (lockResult < 0) throw new TimeoutException("Could not take the migration lock within 2 minutes.");
        try
        {
            await connection.ExecuteAsync(VersionsTable.SqlServer);
            var current = await CurrentVersionAsync(connection, null);
            var pending = Pending(migrations, current);
            foreach (var migration in pending)
            {
                await using var transaction = await connection.BeginTransactionAsync(ct);
                foreach (var batch in SplitBatches(migration.Script))
                    await connection.ExecuteAsync(batch, transaction: transaction, commandTimeout: 600);
                await connection.ExecuteAsync(RecordVersion, new { migration.Version, migration.Name, AppliedAt = clock.GetUtcNow() }, transaction);
                await transaction.CommitAsync(ct);
            }
            return pending.Count;
        }
        finally
        {
            await connection.ExecuteAsync("EXEC sp_releaseapplock @Resource = 'rebooking-migrations', @LockOwner = 'Session';");
        }
    }

    static List<Migration> Pending(IReadOnlyList<Migration> migrations, int current)
    {
        if (current > migrations.Count) throw new DatabaseTooNewException(current, migrations.Count);
        return migrations.Where(m => m.Version > current).ToList();
    }

    async Task<int> CurrentVersionAsync(DbConnection connection, DbTransaction? transaction)
    {
        var exists = await connection.ExecuteScalarAsync<int>(db.Sql(VersionsTableExists), transaction: transaction);
        if (exists == 0) return 0;
        return await connection.ExecuteScalarAsync<int?>("SELECT MAX(version) FROM schema_versions", transaction: transaction) ?? 0;
    }

    /// <summary>Splits a SQL Server script on lines that hold only <c>GO</c>.</summary>
    internal static IEnumerable<string> SplitBatches(string script) =>
        GoLine().Split(script).Select(b => b.Trim()).Where(b => b.Length > 0);

    static readonly DialectSql VersionsTable = new(
        Sqlite: """
        CREATE TABLE IF NOT EXISTS schema_versions (
            version    INTEGER NOT NULL CONSTRAINT pk_schema_versions PRIMARY KEY,
            name       TEXT    NOT NULL,
            applied_at TEXT    NOT NULL
        );
        """,
        SqlServer: """
        IF OBJECT_ID(N'dbo.schema_versions', N'U') IS NULL
        CREATE TABLE dbo.schema_versions (
            version    int           NOT NULL CONSTRAINT pk_schema_versions PRIMARY KEY,
            name       nvarchar(200) NOT NULL,
            applied_at datetime2(7)  NOT NULL
        );
        """);

    static readonly DialectSql VersionsTableExists = new(
        Sqlite: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_versions'",
        SqlServer: "SELECT CASE WHEN OBJECT_ID(N'dbo.schema_versions', N'U') IS NULL THEN 0 ELSE 1 END");

    // The primary key makes a second recording of the same version fail instead of passing silently.
    const string RecordVersion = "INSERT INTO schema_versions (version, name, applied_at) VALUES (@Version, @Name, @AppliedAt)";

    [GeneratedRegex(@"^db/(?<provider>sqlite|sqlserver)/(?<version>\d{4})_(?<name>[a-z0-9_]+)\.sql$")]
    private static partial Regex ScriptName();

    [GeneratedRegex(@"^\s*GO\s*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex GoLine();
}
