using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rebooking.Access;
using Rebooking.Data;
using Rebooking.Integration;
using Rebooking.Outages;

namespace Rebooking.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project Rebooking.Benchmarks -- integration [changes] [concurrency] [batch]</c> (default
/// 100,000 changes, and <see cref="WebhookOptions"/>' defaults) on SQLite:
/// <list type="number">
/// <item>the feed: every change paged through <see cref="ChangeFeed"/> at 1,000 a page;</item>
/// <item>webhook delivery: the same changes (one per booking) fanned out and delivered by one
/// <see cref="WebhookDispatcher"/> with the default settings to a loopback receiver that answers 204 after
/// 20 ms.</item>
/// </list>
/// </summary>
internal static class IntegrationScenario
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1]) : 100_000;
        var directory = Directory.CreateTempSubdirectory("rebooking-integration-").FullName;
        try
        {
            var db = new Db(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "integration.db")}");
            await new Migrator(db, NullLogger<Migrator>.Instance, TimeProvider.System).MigrateAsync();
            await BenchmarkData.SeedAsync(db, 1, "bench");
            // A receiver answering 204 after 20 ms.
            using var receiver = LoopbackServer.Start(18_200, TimeSpan.FromMilliseconds(20), 204);
            var options = new WebhookOptions { AllowLoopback = true };
            if (args.Length > 2) options.Concurrency = int.Parse(args[2]);
            if (args.Length > 3) options.BatchSize = int.Parse(args[3]);
            var clock = TimeProvider.System;
            var store = new WebhookStore(db, clock, new Audit(clock));
            await store.CreateAsync("bench", receiver.BaseUrl + "/hooks", "bench receiver", "bench");
            await SeedChangesAsync(db, count);

            // 1. The feed.
            var feed = new ChangeFeed(db);
            var pages = new List<double>();
            var after = 0L;
            var read = 0;
            var total = Stopwatch.StartNew();
            while (true)
            {
                var page = Stopwatch.StartNew();
                var result = (await feed.ReadAsync("bench", after, 1000))!;
                pages.Add(page.Elapsed.TotalMilliseconds);
                if (result.Changes.Count == 0) break;
                read += result.Changes.Count;
                ChangeCursor.TryParse(result.Next, out after);
            }
            total.Stop();
            if (read != count) throw new InvalidOperationException($"read {read} of {count}");
            pages.Sort();
            Console.WriteLine($"| feed, {count:N0} changes at 1,000 a page | {pages.Count - 1} pages | total {total.Elapsed.TotalSeconds:0.00} s | " +
                $"per page mean {pages.Average():0.0} ms, p50 {pages[pages.Count / 2]:0.0} ms, max {pages[^1]:0.0} ms |");

            // 2. Delivery.
            using var dispatcher = new WebhookDispatcher(db, clock, Options.Create(options), new WebhookAddressPolicy(options),
                new WorkerIdentity("bench"), NullLogger<WebhookDispatcher>.Instance);
            var delivery = Stopwatch.StartNew();
            var handled = await dispatcher.DeliverDueAsync();
            delivery.Stop();
            await using var connection = await db.OpenAsync();
            var delivered = await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'");
            if (delivered != count || receiver.Answered != count) throw new InvalidOperationException($"delivered {delivered}, received {receiver.Answered} of {count}");
            Console.WriteLine($"| webhook delivery, {count:N0} changes, receiver at 20 ms | concurrency {options.Concurrency}, batches of {options.BatchSize} | " +
                $"{delivery.Elapsed.TotalSeconds:0.0} s | {count / delivery.Elapsed.TotalSeconds:N0} deliveries/s ({handled:N0} attempts) |");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>One cancellation per booking, as an outage over <paramref name="count"/> bookings writes them.</summary>
    static async Task SeedChangesAsync(Db db, int count)
    {
        await using var connection = (Microsoft.Data.Sqlite.SqliteConnection)await db.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO booking_changes (tenant_id, type, occurred_at, booking_id, booking_ref) VALUES ('bench', 'booking.cancelled', $now, $id, $ref)";
        var now = insert.Parameters.Add("$now", Microsoft.Data.Sqlite.SqliteType.Text);
        var id = insert.Parameters.Add("$id", Microsoft.Data.Sqlite.SqliteType.Integer);
        var reference = insert.Parameters.Add("$ref", Microsoft.Data.Sqlite.SqliteType.Text);
        now.Value = DateTimeOffset.UtcNow.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'");
        for (var i = 0; i < count; i++)
        {
            id.Value = i + 1;
            reference.Value = $"B-{i:000000}";
            await insert.ExecuteNonQueryAsync();
        }
        await transaction.CommitAsync();
    }
}
