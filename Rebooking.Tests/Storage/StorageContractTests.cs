using System.Xml.Linq;
using Dapper;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Access;
using Microsoft.Extensions.Logging.Abstractions;
using Rebooking.Data;
using Rebooking.Tenants;
using Rebooking.Tenants.Import;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Storage;

/// <summary>The same storage contract on every configured provider (SQL Server is skipped when not configured).</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class StorageContractTests(DatabaseProvider provider)
{
    TestDatabase? created;
    TestDatabase database => created!;

    [SetUp]
    public async Task CreateDatabase() => created = await TestDatabase.CreateAsync(provider);

    [TearDown]
    public async Task DropDatabase()
    {
        if (created is not null) await created.DisposeAsync();
        created = null;
    }

    [Test]
    public async Task WriteTransactions_OnTwoConnections_TakeTurns_AndOneConnectionMayWriteAgainAfterCommitting()
    {
        if (provider != DatabaseProvider.Sqlite) Assert.Ignore("SQLite only: SQL Server's writers of different rows do not wait for each other.");
        await database.Migrator().MigrateAsync();
        var db = database.Db();
        await using var first = await db.OpenAsync();
        var firstTransaction = await db.BeginAsync(first);
        await first.ExecuteAsync("INSERT INTO audit_log (at_utc, actor, tenant_id, action, subject, detail) VALUES (@Now, 'a', NULL, 'first', 'x', NULL)",
            new { Now = DateTimeOffset.UtcNow }, firstTransaction);

        var second = Task.Run(async () =>
        {
            await using var connection = await db.OpenAsync();
            await using var transaction = await db.BeginAsync(connection);
            await connection.ExecuteAsync("INSERT INTO audit_log (at_utc, actor, tenant_id, action, subject, detail) VALUES (@Now, 'b', NULL, 'second', 'x', NULL)",
                new { Now = DateTimeOffset.UtcNow }, transaction);
            await transaction.CommitAsync();
        });
        await Task.Delay(300);
        Assert.That(second.IsCompleted, Is.False, "the second writer waits while the first holds its transaction");

        await firstTransaction.CommitAsync();
        await firstTransaction.DisposeAsync();
        // The same connection begins again without waiting for itself.
        await using (var again = await db.BeginAsync(first))
        {
            await first.ExecuteAsync("INSERT INTO audit_log (at_utc, actor, tenant_id, action, subject, detail) VALUES (@Now, 'a', NULL, 'again', 'x', NULL)",
                new { Now = DateTimeOffset.UtcNow }, again);
            await again.CommitAsync();
        }
        await first.CloseAsync();
        await second.WaitAsync(TimeSpan.FromSeconds(10));

        await using var check = await db.OpenAsync();
        Assert.That(await check.QueryAsync<string>("SELECT action FROM audit_log ORDER BY id"), Is.EqualTo(new[] { "first", "again", "second" }));
    }

    [Test]
    public async Task DataProtectionKeys_StoredThroughOneHost_AreReadByAnother_InTheOrderWritten()
    {
        await database.Migrator().MigrateAsync();
        var first = new DataProtectionKeyRepository(database.Db(), TimeProvider.System);
        var second = new DataProtectionKeyRepository(database.Db(), TimeProvider.System);
        Assert.That(await second.LatestAsync(CancellationToken.None), Is.Zero, "an empty ring");

        first.StoreElement(new XElement("key", new XAttribute("id", "a"), "Schlüssel ä"), "key-a");
        var afterOne = await second.LatestAsync(CancellationToken.None);
        first.StoreElement(new XElement("revocation", new XAttribute("id", "b")), "revocation-b");

        var read = second.GetAllElements();
        Assert.That(read.Select(e => (string?)e.Attribute("id")), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(read.First().Value, Is.EqualTo("Schlüssel ä"));
        Assert.That(await second.LatestAsync(CancellationToken.None), Is.GreaterThan(afterOne), "another host sees that the ring changed");
    }

    [Test]
    public async Task APayloadProtectedByOneHost_IsUnprotectedByAnother_ThroughTheKeysInTheDatabase()
    {
        await database.Migrator().MigrateAsync();
        var protectedText = Protector(database.Db()).Protect("Sitzung der Sachbearbeitung");

        Assert.That(Protector(database.Db()).Unprotect(protectedText), Is.EqualTo("Sitzung der Sachbearbeitung"));
        await using var connection = await database.Db().OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM data_protection_keys WHERE friendly_name LIKE 'key-%'"), Is.EqualTo(1));
    }

    /// <summary>A host's data protection as the Api configures it: the application name and the key ring in the database.</summary>
    static IDataProtector Protector(Db db)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDataProtection().SetApplicationName(Rebooking.Api.Access.KeyRingSetup.ApplicationName);
        services.Configure<KeyManagementOptions>(o => o.XmlRepository = new DataProtectionKeyRepository(db, TimeProvider.System));
        return services.BuildServiceProvider().GetDataProtector("storage-contract");
    }

    [Test]
    public async Task Migrate_FromEmpty_AppliesEveryScriptAndRecordsTheVersion()
    {
        var migrator = database.Migrator();
        Assert.That(await migrator.CurrentVersionAsync(), Is.Zero);

        var applied = await migrator.MigrateAsync();

        Assert.That(applied, Is.EqualTo(Migrator.Load(provider).Count));
        Assert.That(await migrator.CurrentVersionAsync(), Is.EqualTo(migrator.LatestVersion));
        await using var connection = await database.Db().OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM bookings"), Is.Zero);
    }

    [Test]
    public async Task Migrate_RunTwice_SecondRunAppliesNothing()
    {
        await database.Migrator().MigrateAsync();
        Assert.That(await database.Migrator().MigrateAsync(), Is.Zero);
        await using var connection = await database.Db().OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_versions"), Is.EqualTo(Migrator.Load(provider).Count));
    }

    [Test]
    public async Task Migrate_ThreeProcessesStartingAtOnce_ApplyEachScriptExactlyOnce()
    {
        // Separate Db instances = separate connection pools, as an Api and two Workers would have.
        var runs = Enumerable.Range(0, 3).Select(_ => Task.Run(() => new Migrator(database.Db(), NullLogger<Migrator>.Instance, TimeProvider.System).MigrateAsync())).ToArray();
        var applied = await Task.WhenAll(runs);

        Assert.That(applied.Sum(), Is.EqualTo(Migrator.Load(provider).Count));
        await using var connection = await database.Db().OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_versions"), Is.EqualTo(Migrator.Load(provider).Count));
    }

    [Test]
    public async Task Migrate_DatabaseNewerThanCode_RefusesToStart()
    {
        await database.Migrator().MigrateAsync();
        await using (var connection = await database.Db().OpenAsync())
            await connection.ExecuteAsync("INSERT INTO schema_versions (version, name, applied_at) VALUES (999, 'from_the_future', @At)", new { At = DateTimeOffset.UtcNow });

        var error = Assert.ThrowsAsync<DatabaseTooNewException>(() => database.Migrator().MigrateAsync());
        Assert.That(error!.DatabaseVersion, Is.EqualTo(999));
    }

    [Test]
    public async Task Instants_AcrossBothDstChanges_RoundTripExactlyAndSortInTimeOrder()
    {
        await database.Migrator().MigrateAsync();
        var db = database.Db();
        await SeedTenantAsync(db);
        // Berlin: 2021-03-28 02:00 local does not exist; 2021-10-31 02:30 local happens twice (+02:00, then +01:00).
        DateTimeOffset[] instants =
        [
            DateTimeOffset.Parse("2021-10-31T02:30:00+02:00"),
            DateTimeOffset.Parse("2021-10-31T02:30:00+01:00"),
            DateTimeOffset.Parse("2021-03-28T01:59:59.1234567+01:00"),
            DateTimeOffset.Parse("2021-03-28T03:00:00+02:00"),
        ];
        await using var connection = await db.OpenAsync();
        foreach (var (start, i) in instants.Select((s, i) => (s, i)))
            await connection.ExecuteAsync(
                "INSERT INTO slots (tenant_id, office_id, service_id, start_utc, end_utc, capacity, booked) VALUES ('t1', 'o1', NULL, @Start, @End, 1, 0)",
                new { Start = start, End = start.AddMinutes(15) });

        var read = (await connection.QueryAsync<DateTimeOffset>("SELECT start_utc FROM slots ORDER BY start_utc")).ToList();

        Assert.That(read, Is.EqualTo(instants.OrderBy(i => i.UtcTicks).ToList()));
        Assert.That(read.Select(r => r.Offset), Is.All.EqualTo(TimeSpan.Zero));
        Assert.That(read[3] - read[2], Is.EqualTo(TimeSpan.FromHours(1)), "the two 02:30s of the autumn night are an hour apart");
        var berlin = OffsetTime.Zone("Europe/Berlin");
        Assert.That(OffsetTime.Format(read[2], berlin), Is.EqualTo("2021-10-31T02:30:00+02:00"));
        Assert.That(OffsetTime.Format(read[3], berlin), Is.EqualTo("2021-10-31T02:30:00+01:00"));
    }

    [Test]
    public async Task Guids_RoundTrip()
    {
        await database.Migrator().MigrateAsync();
        var db = database.Db();
        await SeedTenantAsync(db);
        var id = Guid.NewGuid();
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync(
            "INSERT INTO slots (tenant_id, office_id, start_utc, end_utc, capacity, booked, reserved_for_outage) VALUES ('t1', 'o1', @At, @End, 1, 0, @Id)",
            new { At = DateTimeOffset.UtcNow, End = DateTimeOffset.UtcNow.AddHours(1), Id = id });
        Assert.That(await connection.ExecuteScalarAsync<Guid>("SELECT reserved_for_outage FROM slots WHERE reserved_for_outage = @Id", new { Id = id }), Is.EqualTo(id));
    }

    [Test]
    public async Task SlotUpsert_SameOfficeServiceAndStart_UpdatesInsteadOfDuplicating()
    {
        await database.Migrator().MigrateAsync();
        var db = database.Db();
        var tenant = await SeedTenantAsync(db);
        var import = new SlotImport(db);
        ImportRow Row(string? service, int capacity) => new(0, new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["officeId"] = "o1", ["serviceId"] = service, ["start"] = "2021-05-06T08:00:00+02:00",
            ["end"] = "2021-05-06T08:15:00+02:00", ["capacity"] = capacity.ToString(),
        });

        var first = await import.ImportAsync(tenant, [Row(null, 2), Row("s1", 1)]);
        var second = await import.ImportAsync(tenant, [Row(null, 5), Row("s1", 3)]);

        Assert.That((first.Imported, first.Updated), Is.EqualTo((2, 0)));
        Assert.That((second.Imported, second.Updated), Is.EqualTo((0, 2)));
        await using var connection = await db.OpenAsync();
        var capacities = (await connection.QueryAsync<int>("SELECT capacity FROM slots ORDER BY capacity")).ToList();
        Assert.That(capacities, Is.EqualTo(new[] { 3, 5 }));
    }

    [Test]
    public async Task BookingUpsert_ByExternalRef_UpdatesContactAndKeepsOneRowHoldingOneSlotUnit()
    {
        await database.Migrator().MigrateAsync();
        var db = database.Db();
        var tenant = await SeedTenantAsync(db);
        await new SlotImport(db).ImportAsync(tenant, [new ImportRow(0, Fields(("officeId", "o1"), ("start", "2021-05-06T08:00:00+02:00"), ("end", "2021-05-06T08:15:00+02:00"), ("capacity", "2")))]);
        var import = new BookingImport(db, TimeProvider.System);
        ImportRow Booking(string phone) => new(0, Fields(("externalRef", "A-1"), ("officeId", "o1"), ("serviceId", "s1"),
            ("start", "2021-05-06T08:00:00+02:00"), ("end", "2021-05-06T08:15:00+02:00"), ("name", "Erika Mustermann"), ("phone", phone)));

        var first = await import.ImportAsync(tenant, [Booking("0171 2345678")]);
        var second = await import.ImportAsync(tenant, [Booking("0049 (0)2051 260")]);

        Assert.That((first.Imported, second.Updated), Is.EqualTo((1, 1)));
        await using var connection = await db.OpenAsync();
        var row = await connection.QuerySingleAsync<(string Phone, string Kind)>("SELECT phone, phone_kind FROM bookings");
        Assert.That(row, Is.EqualTo(("+492051260", "landline")));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT booked FROM slots"), Is.EqualTo(1));
    }

    static Dictionary<string, string?> Fields(params (string Key, string? Value)[] fields) =>
        fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.OrdinalIgnoreCase);

    static async Task<TenantMasterData> SeedTenantAsync(Db db)
    {
        var store = new TenantStore(db, new Audit(TimeProvider.System), TimeProvider.System);
        await store.PutAsync("t1", new PutTenantRequest("T", "Europe/Berlin", "49", null,
            [new OfficeRequest("o1", "Office", null)], [new ServiceRequest("s1", "Service", 15)]), "test");
        return (await store.GetAsync("t1"))!;
    }
}
