using System.Data.Common;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rebooking.Data;
using Rebooking.Outages;
using Rebooking.Tenants;

namespace Rebooking.Benchmarks;

/// <summary>
/// An outage over <see cref="Bookings"/> bookings on SQLite, from accepted to processingComplete, against a
/// raw bulk baseline that writes the same rows (affected bookings, cancelled bookings, released slots,
/// queued notifications) with one prepared statement per table in one transaction. Each iteration starts
/// from a fresh database file, so both measure the same work.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 5, invocationCount: 1)]
[MemoryDiagnoser]
public class OutageProcessingBenchmark
{
    [Params(100_000)]
    public int Bookings { get; set; }

    string directory = "";
    Db db = null!;
    Guid outageId;

    [IterationSetup]
    public void CreateDatabase()
    {
        directory = Directory.CreateTempSubdirectory("rebooking-bench-").FullName;
        db = new Db(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "bench.db")}");
        new Migrator(db, NullLogger<Migrator>.Instance, TimeProvider.System).MigrateAsync().GetAwaiter().GetResult();
        outageId = BenchmarkData.SeedAsync(db, Bookings).GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void DeleteDatabase()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Benchmark(Baseline = true, Description = "raw bulk write, one prepared statement per table")]
    public void RawBulkBaseline() => BenchmarkData.RawBulkAsync(db, outageId).GetAwaiter().GetResult();

    [Benchmark(Description = "OutageProcessor, accepted to processingComplete")]
    public void ProcessOutage()
    {
        var processor = BenchmarkData.Processor(db, "bench");
        if (processor.RunPendingAsync().GetAwaiter().GetResult() != 1) throw new InvalidOperationException("The outage was not processed.");
    }
}

/// <summary>Data for the benchmarks: a tenant with three offices, bookings over ten days, one outage over all of them.</summary>
internal static class BenchmarkData
{
    /// <summary>A worker's outage processor with the default options (batches of 1,000).</summary>
    public static OutageProcessor Processor(Db db, string worker) =>
        new(db, TimeProvider.System, Options.Create(new OutageOptions()), new WorkerIdentity(worker), NullLogger<OutageProcessor>.Instance);

    /// <summary>The first appointment; the outage covers 30 days from here.</summary>
    public static readonly DateTimeOffset First = new(2030, 3, 4, 7, 0, 0, TimeSpan.Zero);

    /// <param name="firstSlotId">Slot ids are global: a second tenant in the same database starts above the first one's.</param>
    public static async Task<Guid> SeedAsync(Db db, int bookings, string tenantId = "bench", long firstSlotId = 1)
    {
        var clock = TimeProvider.System;
        var audit = new Audit(clock);
        var tenants = new TenantStore(db, audit, clock);
        await tenants.PutAsync(tenantId, new PutTenantRequest("Bench " + tenantId, "Europe/Berlin", "49", null,
            [new OfficeRequest("a", "A", null), new OfficeRequest("b", "B", null), new OfficeRequest("c", "C", null)],
            [new ServiceRequest("s", "S", 15)]), "bench");
        var first = First;
        await using (var connection = (SqliteConnection)await db.OpenAsync())
        await using (var transaction = connection.BeginTransaction())
        {
            var slot = connection.CreateCommand();
            slot.CommandText = "INSERT INTO slots (id, tenant_id, office_id, service_id, start_utc, end_utc, capacity, booked) VALUES ($id, $tenant, $office, NULL, $start, $end, 5, 5)";
            var booking = connection.CreateCommand();
            booking.CommandText = """
                INSERT INTO bookings (tenant_id, external_ref, office_id, service_id, start_utc, end_utc, name, phone, phone_kind, email, language, status, origin, slot_id, created_at, updated_at)
                VALUES ($tenant, $ref, $office, 's', $start, $end, 'Name', $phone, $kind, NULL, 'de', 'booked', 'import', $slot, $now, $now)
                """;
            foreach (var p in new[] { "$id", "$office", "$start", "$end" }) slot.Parameters.Add(new SqliteParameter(p, null));
            foreach (var p in new[] { "$ref", "$office", "$start", "$end", "$phone", "$kind", "$slot", "$now" }) booking.Parameters.Add(new SqliteParameter(p, null));
            slot.Parameters.Add(new SqliteParameter("$tenant", tenantId));
            booking.Parameters.Add(new SqliteParameter("$tenant", tenantId));
            var now = DapperSetup.ToSqliteText(DateTimeOffset.UtcNow);
            for (var i = 0; i < bookings; i++)
            {
                var slotId = i / 5 + firstSlotId;
                var office = (slotId % 3) switch { 0 => "a", 1 => "b", _ => "c" };
                var start = first.AddDays(slotId / 2000).AddSeconds(slotId % 2000 * 15);
                if (i % 5 == 0)
                {
                    slot.Parameters["$id"].Value = slotId; slot.Parameters["$office"].Value = office;
                    slot.Parameters["$start"].Value = DapperSetup.ToSqliteText(start); slot.Parameters["$end"].Value = DapperSetup.ToSqliteText(start.AddMinutes(15));
                    slot.ExecuteNonQuery();
                }
                booking.Parameters["$ref"].Value = $"R{i:000000}"; booking.Parameters["$office"].Value = office;
                booking.Parameters["$start"].Value = DapperSetup.ToSqliteText(start); booking.Parameters["$end"].Value = DapperSetup.ToSqliteText(start.AddMinutes(15));
                booking.Parameters["$phone"].Value = i % 10 == 0 ? DBNull.Value : "+491712345678";
                booking.Parameters["$kind"].Value = i % 10 == 0 ? DBNull.Value : "mobile";
                booking.Parameters["$slot"].Value = slotId; booking.Parameters["$now"].Value = now;
                booking.ExecuteNonQuery();
            }
            transaction.Commit();
        }
        var tenant = (await tenants.GetAsync(tenantId))!;
        var store = new OutageStore(db, audit, clock, Options.Create(new OutageOptions()));
        return await store.DeclareAsync(tenant, new DeclareOutageRequest(
            first.ToString("O"), first.AddDays(30).ToString("O"), null, null, null, "bench", "bench", true), "bench");
    }

    /// <summary>The same rows the processor writes, with one prepared statement per table and no scope query.</summary>
    public static async Task RawBulkAsync(Db db, Guid outageId)
    {
        await using var connection = (SqliteConnection)await db.OpenAsync();
        var rows = (await connection.QueryAsync<(long Id, string Office, string Start, string? Kind, long Slot)>(
            "SELECT id, office_id, start_utc, phone_kind, slot_id FROM bookings WHERE status = 'booked' ORDER BY start_utc")).ToList();
        await using var transaction = connection.BeginTransaction();
        var now = DapperSetup.ToSqliteText(DateTimeOffset.UtcNow);
        var batch = Guid.NewGuid().ToString("D");
        var outage = outageId.ToString("D");
        var affected = Prepare(connection, """
            INSERT INTO affected_bookings (outage_id, booking_id, tenant_id, office_id, service_id, start_utc, outcome, contact, unreachable_reason, batch, created_at, updated_at)
            VALUES ($outage, $booking, 'bench', $office, 's', $start, 'open', $contact, $reason, $batch, $now, $now) RETURNING id
            """, "$outage", "$booking", "$office", "$start", "$contact", "$reason", "$batch", "$now");
        var cancel = Prepare(connection, "UPDATE bookings SET status = 'cancelled', updated_at = $now WHERE id = $id AND status = 'booked'", "$now", "$id");
        var release = Prepare(connection, "UPDATE slots SET booked = booked - 1 WHERE id = $id AND booked > 0", "$id");
        var notify = Prepare(connection, """
            INSERT INTO notifications (tenant_id, booking_id, affected_id, kind, dedupe_key, status, priority_at, due_at, attempts, created_at)
            VALUES ('bench', $booking, $affected, 'cancellation', $key, 'queued', $start, $now, 0, $now)
            """, "$booking", "$affected", "$key", "$start", "$now");
        foreach (var r in rows)
        {
            var reachable = r.Kind is not null;
            Set(affected, outage, r.Id, r.Office, r.Start, reachable ? "pending" : "unreachable", reachable ? null : "no-contact", batch, now);
            var affectedId = (long)affected.ExecuteScalar()!;
            Set(cancel, now, r.Id); cancel.ExecuteNonQuery();
            Set(release, r.Slot); release.ExecuteNonQuery();
            if (reachable) { Set(notify, r.Id, affectedId, $"cancellation:{affectedId}", r.Start, now); notify.ExecuteNonQuery(); }
        }
        await connection.ExecuteAsync("UPDATE outages SET synced_version = desired_version, status = 'active'", transaction: transaction);
        transaction.Commit();
    }

    static SqliteCommand Prepare(SqliteConnection connection, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in names) command.Parameters.Add(new SqliteParameter(name, null));
        command.Prepare();
        return command;
    }

    static void Set(DbCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++) command.Parameters[i].Value = values[i] ?? DBNull.Value;
    }
}
