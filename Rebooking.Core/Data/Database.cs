using System.Data;
using System.Data.Common;
using Microsoft.Data.SqlClient;
using Microsoft.Data.Sqlite;

namespace Rebooking.Data;

public enum DatabaseProvider { Sqlite, SqlServer }

/// <summary>Binds <c>Database:Provider</c> and <c>ConnectionStrings:Rebooking</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary><c>sqlite</c> (default) or <c>sqlserver</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Where the default SQLite file lives when no connection string is configured.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/rebooking.db";

    public DatabaseProvider ParsedProvider => Provider.Trim().ToLowerInvariant() switch
    {
        "sqlite" or "" => DatabaseProvider.Sqlite,
        "sqlserver" or "mssql" => DatabaseProvider.SqlServer,
        var other => throw new InvalidOperationException(
            $"Database:Provider '{other}' is not supported; use 'sqlite' or 'sqlserver'."),
    };
}

/// <summary>
/// Opens connections to the configured database. One instance per process; connections are pooled by the
/// ADO.NET provider. Every SQLite connection has foreign keys on, WAL (set once by the migrator) and a
/// 30 s busy timeout, so several processes can share one file.
/// </summary>
public sealed class Db
{
    public Db(DatabaseProvider provider, string connectionString, string? baseDirectory = null)
    {
        DapperSetup.EnsureRegistered();
        Provider = provider;
        ConnectionString = provider == DatabaseProvider.Sqlite
            ? NormaliseSqlite(connectionString, baseDirectory)
            : connectionString;
    }

    public DatabaseProvider Provider { get; }

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = new();
    static readonly object Marker = new();

    public string ConnectionString { get; }

    /// <summary>Picks the variant of a statement written for this provider.</summary>
    public string Sql(DialectSql statement) => statement.For(Provider);

    public async Task<DbConnection> OpenAsync(CancellationToken ct = default)
    {
        DbConnection connection = Provider == DatabaseProvider.Sqlite
            ? new SqliteConnection(ConnectionString)
            : new SqlConnection(ConnectionString);
        try
        {
            await connection.OpenAsync(ct);
            // Once per physical connection: a pooled open hands back the same native handle, whose
            // settings persist, so re-running the pragmas on every open would only cost time.
            if (connection is SqliteConnection sqlite && sqlite.Handle is { } handle && !Configured.TryGetValue(handle, out _))
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL;";
                await pragma.ExecuteNonQueryAsync(ct);
                Configured.AddOrUpdate(handle, Marker);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction and commits it. On SQLite the transaction takes the
    /// write lock at once (BEGIN IMMEDIATE), so read-then-write inside it is serialised across processes;
    /// on SQL Server it runs at <paramref name="isolation"/> (read committed unless told otherwise).
    /// </summary>
    public async Task<T> InTransactionAsync<T>(
        Func<DbConnection, DbTransaction, Task<T>> work,
        CancellationToken ct = default,
        IsolationLevel isolation = IsolationLevel.ReadCommitted)
    {
        await using var connection = await OpenAsync(ct);
        await using var transaction = await BeginAsync(connection, isolation, ct);
        var result = await work(connection, transaction);
        // Work that is done is committed even if cancellation arrives now: a stopping worker keeps what it did.
        await transaction.CommitAsync(CancellationToken.None);
        return result;
    }

    /// <summary>Begins a write transaction: BEGIN IMMEDIATE on SQLite, <paramref name="isolation"/> on SQL Server.</summary>
    public async Task<DbTransaction> BeginAsync(DbConnection connection, IsolationLevel isolation = IsolationLevel.ReadCommitted, CancellationToken ct = default) =>
        Provider == DatabaseProvider.Sqlite
            ? ((SqliteConnection)connection).BeginTransaction(deferred: false)
            : await connection.BeginTransactionAsync(isolation, ct);

    public Task InTransactionAsync(
        Func<DbConnection, DbTransaction, Task> work,
        CancellationToken ct = default,
        IsolationLevel isolation = IsolationLevel.ReadCommitted) =>
        InTransactionAsync<bool>(async (c, t) => { await work(c, t); return true; }, ct, isolation);

    static string NormaliseSqlite(string connectionString, string? baseDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { ForeignKeys = true, Pooling = true };
        if (builder.DefaultTimeout < 30) builder.DefaultTimeout = 30;
        var source = builder.DataSource;
        if (!string.IsNullOrEmpty(source) && source != ":memory:" && !source.StartsWith("file:", StringComparison.Ordinal))
        {
            if (!Path.IsPathRooted(source) && baseDirectory is not null)
                source = Path.Combine(baseDirectory, source);
            source = Path.GetFullPath(source);
            Directory.CreateDirectory(Path.GetDirectoryName(source)!);
            builder.DataSource = source;
        }
        return builder.ToString();
    }
}

/// <summary>A statement whose SQLite and SQL Server forms differ, kept side by side.</summary>
public sealed record DialectSql(string Sqlite, string SqlServer)
{
    public string For(DatabaseProvider provider) => provider == DatabaseProvider.Sqlite ? Sqlite : SqlServer;
}
