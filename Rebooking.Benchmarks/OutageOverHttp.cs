using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Rebooking.Data;
using Rebooking.Outages;

namespace Rebooking.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --no-build --project Rebooking.Benchmarks -- outage-http [bookings]</c>: what a
/// black-box user sees. The Release Api as a real process (SQLite, in-process worker, development outbox, so
/// the dispatcher writes while the outage is processed); the bookings imported over HTTP (not timed); an
/// outage over all of them declared over HTTP, timed from the 202 to <c>processingComplete</c> in the stats.
/// Next to it the raw set-based baseline: on a copy of the same database taken before the declaration, the
/// processor's own statements (affected rows, bookings cancelled, capacity released, one queued message each)
/// as one batch in one transaction, with nothing else writing.
/// </summary>
internal static class OutageOverHttp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var bookings = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        if (ReleaseProcess.Dll("Rebooking.Api") is not { } apiDll) return 1;

        var directory = Directory.CreateTempSubdirectory("rebooking-outage-http-").FullName;
        var database = Path.Combine(directory, "rebooking.db");
        var baseUrl = "http://127.0.0.1:18690";
        using var api = ReleaseProcess.Start(apiDll, directory, new Dictionary<string, string>
        {
            ["ConnectionStrings__Rebooking"] = $"Data Source={database}",
            ["Demo__Seed"] = "false",
            ["Demo__AdminApiKey"] = ReleaseProcess.AdminKey,
            ["Rebooking__RequestsPerMinutePerClient"] = "0",
            ["Logging__LogLevel__Default"] = "Warning",
        }, ["--urls", baseUrl]);
        try
        {
            using var http = await ReleaseProcess.AdminClientAsync(baseUrl, 150, TimeSpan.FromMinutes(5));

            var day = DateTime.UtcNow.Date.AddDays(2);
            string At(int minutes) => day.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            await ReleaseProcess.PutTenantAsync(http, 3);
            var import = Stopwatch.StartNew();
            foreach (var chunk in Enumerable.Range(0, bookings).Chunk(5_000))
                await ReleaseProcess.CheckAsync(http.PostAsJsonAsync("/api/tenants/bench/bookings/import", chunk.Select(i => new
                {
                    externalRef = $"H{i:000000}", officeId = ((char)('a' + i % 3)).ToString(), serviceId = "s",
                    start = At(7 * 60 + i % 600), end = At(7 * 60 + i % 600 + 15), name = $"Person {i}", phone = $"0171 {1000000 + i}", language = "de",
                }).ToArray()));
            Console.WriteLine($"{bookings:N0} bookings imported over HTTP in {import.Elapsed.TotalSeconds:F1} s (not timed below)");

            var copy = Path.Combine(directory, "baseline.db");
            await using (var source = new SqliteConnection($"Data Source={database}"))
            await using (var target = new SqliteConnection($"Data Source={copy}"))
            {
                await source.OpenAsync();
                await target.OpenAsync();
                source.BackupDatabase(target);
            }

            var declared = await http.PostAsJsonAsync("/api/tenants/bench/outages", new { start = At(6 * 60), end = At(20 * 60), reason = "bench", publicMessage = "Ihr Termin faellt aus." });
            var clock = Stopwatch.StartNew();
            if (declared.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"declare: {declared.StatusCode}");
            var id = (await declared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            JsonElement stats;
            do
            {
                await Task.Delay(100);
                stats = await http.GetFromJsonAsync<JsonElement>($"/api/tenants/bench/outages/{id}/stats");
            }
            while (!stats.GetProperty("processingComplete").GetBoolean() && clock.Elapsed < TimeSpan.FromMinutes(10));
            var overHttp = clock.Elapsed;
            var affected = stats.GetProperty("affected").GetInt32();
            await using var sent = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
            var outboxAtComplete = await sent.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM dev_outbox");

            var raw = await BaselineAsync(copy, day.AddHours(6), day.AddHours(20));
            Console.WriteLine($"over HTTP, 202 → processingComplete: {overHttp.TotalSeconds:F2} s ({affected:N0} affected; {outboxAtComplete:N0} messages in the outbox by then)");
            Console.WriteLine($"raw set-based baseline, one transaction: {raw.Elapsed.TotalSeconds:F2} s ({raw.Affected:N0} affected)");
            Console.WriteLine($"ratio: {overHttp / raw.Elapsed:F2}×");
            return 0;
        }
        finally
        {
            try { api.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            try { Directory.Delete(directory, true); } catch (IOException) { }
        }
    }

    /// <summary>The processor's batch statements as one batch over every covered booking, in one transaction; the outage row is written first, untimed.</summary>
    static async Task<(TimeSpan Elapsed, int Affected)> BaselineAsync(string path, DateTime start, DateTime end)
    {
        var db = new Db(DatabaseProvider.Sqlite, $"Data Source={path}");
        var id = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var from = new DateTimeOffset(start, TimeSpan.Zero);
        var until = new DateTimeOffset(end, TimeSpan.Zero);
        await using (var connection = await db.OpenAsync())
            await connection.ExecuteAsync(OutageSql.InsertOutage, new
            {
                Id = id, TenantId = "bench", IncidentId = (Guid?)null, Start = from, End = (DateTimeOffset?)until, CoveredUntil = until,
                Reason = "bench", PublicMessage = "Ihr Termin faellt aus.", Notify = true, Now = now, Actor = "baseline",
            });
        var clock = Stopwatch.StartNew();
        var affected = await db.InTransactionAsync(async (connection, transaction) =>
        {
            var p = new { OutageId = id, TenantId = "bench", From = from, Until = until, Batch = Guid.NewGuid(), BatchSize = int.MaxValue, Now = now };
            var claimed = await connection.ExecuteAsync(db.Sql(OutageSql.ClaimBatch), p, transaction, commandTimeout: 600);
            await connection.ExecuteAsync(OutageSql.CancelBatchBookings, p, transaction, commandTimeout: 600);
            await connection.ExecuteAsync(db.Sql(OutageSql.ReleaseBatchSlots), p, transaction, commandTimeout: 600);
            await connection.ExecuteAsync(OutageSql.QueueBatchCancellations, p, transaction, commandTimeout: 600);
            return claimed;
        });
        return (clock.Elapsed, affected);
    }
}
