using Microsoft.Data.SqlClient;
using Microsoft.Extensions.Logging.Abstractions;
using Rebooking.Data;

namespace Rebooking.Tests.Support;

/// <summary>
/// A fresh, empty database for one test: a new SQLite file, or a new database on the SQL Server named by
/// <c>REBOOKING_TEST_SQLSERVER</c>. Dropped (or deleted) on dispose.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string SqlServerVariable = "REBOOKING_TEST_SQLSERVER";

    /// <summary>The providers storage tests run against: SQLite always, SQL Server when configured.</summary>
    public static IEnumerable<TestFixtureData> Providers()
    {
        yield return new TestFixtureData(DatabaseProvider.Sqlite).SetArgDisplayNames("sqlite");
        yield return new TestFixtureData(DatabaseProvider.SqlServer).SetArgDisplayNames("sqlserver");
    }

    TestDatabase(DatabaseProvider provider, string connectionString, string? directory, string? sqlServerName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        this.directory = directory;
        this.sqlServerName = sqlServerName;
    }

    readonly string? directory;
    readonly string? sqlServerName;

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }
    public string ProviderName => Provider == DatabaseProvider.Sqlite ? "sqlite" : "sqlserver";

    /// <summary>Ignores the calling test (reported as skipped) when SQL Server is asked for but not configured.</summary>
    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Sqlite)
        {
            var dir = Path.Combine(Path.GetTempPath(), "rebooking-tests", Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(dir);
            return new TestDatabase(provider, $"Data Source={Path.Combine(dir, "rebooking.db")}", dir, null);
        }
        var server = Environment.GetEnvironmentVariable(SqlServerVariable);
        if (string.IsNullOrWhiteSpace(server))
            Assert.Ignore($"SQL Server not configured: set {SqlServerVariable} to a connection string to run this test against it.");
        var name = "rebooking_test_" + Guid.NewGuid().ToString("N")[..12];
        var master = new SqlConnectionStringBuilder(server) { InitialCatalog = "master" };
        await using (var connection = new SqlConnection(master.ConnectionString))
        {
            await connection.OpenAsync();
            await using var create = new SqlCommand($"CREATE DATABASE [{name}]", connection);
            await create.ExecuteNonQueryAsync();
        }
        var own = new SqlConnectionStringBuilder(server) { InitialCatalog = name };
        return new TestDatabase(provider, own.ConnectionString, null, name);
    }

    public Db Db() => new(Provider, ConnectionString);

    public Migrator Migrator() => new(Db(), NullLogger<Migrator>.Instance, TimeProvider.System);

    public async ValueTask DisposeAsync()
    {
        if (directory is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
        if (sqlServerName is not null)
        {
            SqlConnection.ClearAllPools();
            var master = new SqlConnectionStringBuilder(Environment.GetEnvironmentVariable(SqlServerVariable)) { InitialCatalog = "master" };
            await using var connection = new SqlConnection(master.ConnectionString);
            await connection.OpenAsync();
            await using var drop = new SqlCommand($"ALTER DATABASE [{sqlServerName}] SET SINGLE_USER WITH ROLLBACK IMMEDIATE; DROP DATABASE [{sqlServerName}]", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
