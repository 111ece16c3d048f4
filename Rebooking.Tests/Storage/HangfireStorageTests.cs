using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Rebooking.Data;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Storage;

/// <summary>
/// Hangfire's storage per provider: in memory on SQLite, the <c>HangFire</c> schema in the service's database on
/// SQL Server (skipped unless <c>REBOOKING_TEST_SQLSERVER</c> is set), and the migration that removes Quartz.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class HangfireStorageTests(DatabaseProvider provider)
{
    [Test]
    public async Task TheInProcessWorker_RunsADeclarationThroughHangfire_AndHealthCountsItsServer()
    {
        await using var app = await RebookingApp.StartAsync(provider, new Dictionary<string, string?> { ["Worker:InProcess"] = "true" });
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", Enumerable.Range(0, 5)
            .Select(i => Booking($"H{i}", "mitte", "geburt", SixSecondsApart("09:00", i), phone: $"0171 {6000000 + i}")).ToArray());

        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.WaitForStatsAsync("velbert", outage,
            s => s.GetProperty("processingComplete").GetBoolean() && s.GetProperty("contact").GetProperty("pending").GetInt32() == 0, TimeSpan.FromSeconds(30));

        var health = await app.Anonymous().GetFromJsonAsync<JsonElement>("/health");
        Assert.That(health.GetProperty("scheduler").GetString(), Is.EqualTo("running"));
        Assert.That(health.GetProperty("jobServers").GetInt32(), Is.GreaterThanOrEqualTo(1));
        Assert.That(health.GetProperty("lastHeartbeat").GetDateTimeOffset(), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(2)));
        if (provider == DatabaseProvider.SqlServer)
        {
            await using var connection = await app.Db.OpenAsync();
            Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM HangFire.Job"), Is.GreaterThan(0), "jobs live in the HangFire schema");
            Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM HangFire.Server"), Is.GreaterThanOrEqualTo(1));
            Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sys.tables WHERE name LIKE 'QRTZ[_]%'"), Is.Zero);
        }
    }

    [Test]
    public async Task Migration0006_DropsQuartzTables_AndLeavesOurs()
    {
        if (provider != DatabaseProvider.SqlServer) Assert.Ignore("SQL Server only: Quartz never had tables on SQLite, where 0006 does nothing.");
        await using var database = await TestDatabase.CreateAsync(provider);
        var db = database.Db();
        await using (var connection = await db.OpenAsync())
        {
            // A miniature of what Quartz's clustered store left behind, with its foreign keys.
            await connection.ExecuteAsync("""
                CREATE TABLE dbo.QRTZ_JOB_DETAILS (SCHED_NAME nvarchar(120) NOT NULL, JOB_NAME nvarchar(150) NOT NULL, JOB_GROUP nvarchar(150) NOT NULL,
                    CONSTRAINT PK_QRTZ_JOB_DETAILS PRIMARY KEY (SCHED_NAME, JOB_NAME, JOB_GROUP));
                CREATE TABLE dbo.QRTZ_TRIGGERS (SCHED_NAME nvarchar(120) NOT NULL, TRIGGER_NAME nvarchar(150) NOT NULL, TRIGGER_GROUP nvarchar(150) NOT NULL,
                    JOB_NAME nvarchar(150) NOT NULL, JOB_GROUP nvarchar(150) NOT NULL,
                    CONSTRAINT PK_QRTZ_TRIGGERS PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
                    CONSTRAINT FK_QRTZ_TRIGGERS_QRTZ_JOB_DETAILS FOREIGN KEY (SCHED_NAME, JOB_NAME, JOB_GROUP) REFERENCES dbo.QRTZ_JOB_DETAILS (SCHED_NAME, JOB_NAME, JOB_GROUP));
                CREATE TABLE dbo.QRTZ_SIMPLE_TRIGGERS (SCHED_NAME nvarchar(120) NOT NULL, TRIGGER_NAME nvarchar(150) NOT NULL, TRIGGER_GROUP nvarchar(150) NOT NULL,
                    CONSTRAINT PK_QRTZ_SIMPLE_TRIGGERS PRIMARY KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP),
                    CONSTRAINT FK_QRTZ_SIMPLE_TRIGGERS_QRTZ_TRIGGERS FOREIGN KEY (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP) REFERENCES dbo.QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_NAME, TRIGGER_GROUP));
                CREATE TABLE dbo.QRTZ_LOCKS (SCHED_NAME nvarchar(120) NOT NULL, LOCK_NAME nvarchar(40) NOT NULL, CONSTRAINT PK_QRTZ_LOCKS PRIMARY KEY (SCHED_NAME, LOCK_NAME));
                """);
        }

        var migrator = database.Migrator();
        await migrator.MigrateAsync();

        await using var check = await db.OpenAsync();
        Assert.That(await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sys.tables WHERE name LIKE 'QRTZ[_]%'"), Is.Zero);
        Assert.That(await check.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM sys.tables WHERE name IN ('outages', 'notifications', 'bookings')"), Is.EqualTo(3));
        Assert.That(await migrator.CurrentVersionAsync(), Is.EqualTo(migrator.LatestVersion));
    }
}
