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

    /// <summary>The provider; an unknown name (refused at start by validation) throws.</summary>
    public DatabaseProvider ParsedProvider => TryParseProvider(Provider, out var provider)
        ? provider
        : throw new InvalidOperationException($"Database:Provider '{Provider}' is not supported; use 'sqlite' or 'sqlserver'.");

    /// <summary>Provider names are case-insensitive: <c>sqlite</c> (or empty), <c>sqlserver</c> or <c>mssql</c>.</summary>
    public static bool TryParseProvider(string? name, out DatabaseProvider provider)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or "sqlite": provider = DatabaseProvider.Sqlite; return true;
            case "sqlserver" or "mssql": provider = DatabaseProvider.SqlServer; return true;
            default: provider = DatabaseProvider.Sqlite; return false;
        }
    }

    /// <summary>As <see cref="ParsedProvider"/>, but an unknown name counts as SQLite: for registration, before validation stops the process.</summary>
    public DatabaseProvider ProviderOrDefault => TryParseProvider(Provider, out var provider) ? provider : DatabaseProvider.Sqlite;
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

    /// <summary>
    /// When set, every connection opened afterwards reports each statement it executes (its text) here.
    /// A measuring seam for tests and benchmarks: how many statements a page costs is counted, not guessed.
    /// </summary>
    internal Action<string>? CommandExecuted { get; set; }

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
            return CommandExecuted is { } executed ? new CountingConnection(connection, executed) : connection;
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

    /// <summary>
    /// Begins a write transaction: BEGIN IMMEDIATE on SQLite, <paramref name="isolation"/> on SQL Server.
    /// On SQLite, which has one writer per file, the writers of this process first queue on an async gate
    /// that is released when <paramref name="connection"/> closes: they wait their turn in order instead of
    /// in SQLite's busy handler, which sleeps in growing steps (64 citizens booking at once saw a p99 of
    /// 630 ms from those sleeps alone). Writers in other processes still meet the busy timeout. Callers
    /// keep one write transaction per connection and close it when done, as every caller here does.
    /// </summary>
    /// <exception cref="TimeoutException">The gate was not free within the busy timeout (30 s).</exception>
    public async Task<DbTransaction> BeginAsync(DbConnection connection, IsolationLevel isolation = IsolationLevel.ReadCommitted, CancellationToken ct = default)
    {
        if (Provider != DatabaseProvider.Sqlite) return await connection.BeginTransactionAsync(isolation, ct);
        var sqlite = (SqliteConnection)(connection is CountingConnection counting ? counting.Inner : connection);
        var gate = WriteGates.GetOrAdd(ConnectionString, _ => new WriteGate());
        if (gate.Holder == sqlite) return sqlite.BeginTransaction(deferred: false);
        if (!await gate.Turn.WaitAsync(BusyTimeout, ct)) throw new TimeoutException("No turn to write to the SQLite database within 30 s.");
        try
        {
            var transaction = sqlite.BeginTransaction(deferred: false);
            gate.Holder = sqlite;
            StateChangeEventHandler? closed = null;
            closed = (_, e) =>
            {
                if (e.CurrentState != ConnectionState.Closed) return;
                sqlite.StateChange -= closed;
                gate.Holder = null;
                gate.Turn.Release();
            };
            sqlite.StateChange += closed;
            return transaction;
        }
        catch
        {
            gate.Holder = null;
            gate.Turn.Release();
            throw;
        }
    }

    static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, WriteGate> WriteGates = new();

    /// <summary>One per SQLite file in this process: whose turn it is to write.</summary>
    sealed class WriteGate
    {
        public readonly SemaphoreSlim Turn = new(1, 1);
        public volatile SqliteConnection? Holder;
    }

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
