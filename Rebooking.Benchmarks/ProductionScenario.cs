using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rebooking.Data;
using Rebooking.Notifications;
using Rebooking.Outages;
using Rebooking.Rebookings;

namespace Rebooking.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project Rebooking.Benchmarks -- scenario [10000,100000]</c>: the outage day at
/// a given size on SQLite, phase by phase, each from a fresh database where it matters:
/// <list type="number">
/// <item>processing a regional incident (the bookings spread over four tenants, one outage each) with one
/// and with two workers, accepted → every outage synced;</item>
/// <item>dispatching the queued cancellations as SMS with one and with two workers through the real Twilio
/// channel to a fake Twilio answering after 50 ms (at most 20,000 messages per run);</item>
/// <item>citizens rebooking under contention: 64 at a time through <see cref="CitizenRebooking.BookAsync"/>
/// with the links the SMS carried, for 20 slots of 5.</item>
/// </list>
/// A "worker" here is an <see cref="OutageProcessor"/> or <see cref="NotificationDispatcher"/> of its own,
/// with its own name and connections, in this process; the crash and SIGTERM behaviour of real worker
/// processes is what the resilience tests check.
/// </summary>
internal static partial class ProductionScenario
{
    const int Tenants = 4;
    const int DispatchCap = 20_000;
    const int Contenders = 64;

    public static async Task<int> RunAsync(string[] args)
    {
        var sizes = args.Length > 1 ? args[1].Split(',').Select(int.Parse).ToArray() : [10_000, 100_000];
        using var twilio = FakeTwilioListener.Start(TimeSpan.FromMilliseconds(50));
        twilio.KeepBodies = true;
        var rows = new List<string> { "| bookings | phase | workers | wall time | throughput |", "|---|---|---|---|---|" };
        foreach (var size in sizes)
        {
            foreach (var workers in new[] { 1, 2 })
            {
                await using var fresh = await ScenarioDatabase.CreateAsync(size);
                var took = await ProcessAsync(fresh.Db, workers);
                rows.Add(Row(size, "processing, accepted → synced", workers, took, size, "bookings/s"));
            }

            await using var database = await ScenarioDatabase.CreateAsync(size);
            await ProcessAsync(database.Db, 2);
            var queued = await database.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE status = 'queued'");
            var slice = Math.Min(DispatchCap, queued / 2);
            foreach (var workers in new[] { 1, 2 })
            {
                await database.MakeDueAsync(slice);
                var (took, sent) = await DispatchAsync(database.Db, twilio, workers);
                if (sent != slice) throw new InvalidOperationException($"sent {sent} of {slice}");
                rows.Add(Row(size, $"dispatch, {slice:N0} SMS at 50 ms", workers, took, sent, "SMS/s"));
            }

            var (bookTook, attempts, booked, p50, p99) = await RebookAsync(database, twilio);
            rows.Add(Row(size, $"rebooking, {Contenders} at once, 100 units", 1, bookTook, attempts,
                $"attempts/s ({booked} booked, p50 {p50:0.0} ms, p99 {p99:0.0} ms)"));
            Console.WriteLine(string.Join(Environment.NewLine, rows.TakeLast(5)));
        }
        Console.WriteLine();
        Console.WriteLine(string.Join(Environment.NewLine, rows));
        return 0;
    }

    static string Row(int size, string phase, int workers, TimeSpan took, int count, string unit) =>
        $"| {size:N0} | {phase} | {workers} | {took.TotalSeconds:0.00} s | {count / took.TotalSeconds:N0} {unit} |";

    static async Task<TimeSpan> ProcessAsync(Db db, int workers)
    {
        var processors = Enumerable.Range(0, workers).Select(i => BenchmarkData.Processor(db, $"worker-{i}")).ToList();
        var clock = Stopwatch.StartNew();
        var synced = (await Task.WhenAll(processors.Select(p => p.RunPendingAsync()))).Sum();
        clock.Stop();
        if (synced != Tenants) throw new InvalidOperationException($"{synced} of {Tenants} outages synced");
        return clock.Elapsed;
    }

    static async Task<(TimeSpan Took, int Sent)> DispatchAsync(Db db, LoopbackServer twilio, int workers)
    {
        var dispatchers = Enumerable.Range(0, workers).Select(i => DispatchThroughputBenchmark.SmsDispatcher(db, twilio, 0, $"worker-{i}")).ToList();
        var clock = Stopwatch.StartNew();
        var sent = (await Task.WhenAll(dispatchers.Select(d => d.RunPendingAsync()))).Sum();
        return (clock.Elapsed, sent);
    }

    static async Task<(TimeSpan Took, int Attempts, int Booked, double P50, double P99)> RebookAsync(ScenarioDatabase database, LoopbackServer twilio)
    {
        // 20 slots of 5 the day after the outage, open to every office's citizens: 100 units for thousands of them.
        // The citizens of the first municipality, with the links their SMS carried.
        var day = await database.AddSlotsAfterOutageAsync(20, 5);
        var tokens = twilio.Bodies.Select(b => WebUtility.UrlDecode(b) ?? "").Where(b => b.Contains("kommune-1", StringComparison.Ordinal))
            .Select(b => Link().Match(b)).Where(m => m.Success).Select(m => m.Groups[1].Value).Distinct().ToList();
        var slots = (await database.QueryAsync<long>("SELECT id FROM slots WHERE start_utc >= @Day ORDER BY id", new { Day = day })).ToList();
        // The benchmark's appointments lie in 2030: a horizon that reaches them (the default counts 21 days from now).
        var rebooking = new CitizenRebooking(database.Db, new Audit(TimeProvider.System), TimeProvider.System,
            Options.Create(new RebookingOptions { OfferHorizon = BenchmarkData.First.AddDays(60) - DateTimeOffset.UtcNow }));
        // Microsoft.Data.Sqlite's async calls block their thread: without enough threads "64 at once" would be two.
        ThreadPool.GetMinThreads(out var workerThreads, out var ioThreads);
        ThreadPool.SetMinThreads(Math.Max(workerThreads, Contenders + 8), ioThreads);
        var next = -1;
        var booked = 0;
        var inFlight = 0;
        var maxInFlight = 0;
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var outcomes = new System.Collections.Concurrent.ConcurrentDictionary<BookingOutcome, int>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Contenders).Select(_ => Task.Run(async () =>
        {
            for (var i = Interlocked.Increment(ref next); i < tokens.Count; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                var now = Interlocked.Increment(ref inFlight);
                if (now > Volatile.Read(ref maxInFlight)) Interlocked.Exchange(ref maxInFlight, now);
                var (outcome, _, _) = await rebooking.BookAsync(tokens[i], slots[i % slots.Count]);
                Interlocked.Decrement(ref inFlight);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (outcome == BookingOutcome.Booked) Interlocked.Increment(ref booked);
                outcomes.AddOrUpdate(outcome, 1, (_, n) => n + 1);
            }
        })));
        clock.Stop();
        Console.WriteLine($"rebooking outcomes for {tokens.Count} links and {slots.Count} slots, at most {maxInFlight} at once: " + string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}")));
        var over = await database.ScalarAsync<int>("SELECT COUNT(*) FROM slots WHERE booked > capacity");
        if (over > 0 || booked > 100) throw new InvalidOperationException($"overbooked: {over} slots beyond capacity, {booked} booked");
        var sorted = latencies.Order().ToArray();
        return (clock.Elapsed, tokens.Count, booked, sorted[sorted.Length / 2], sorted[(int)(sorted.Length * 0.99)]);
    }

    [GeneratedRegex(@"/r/([A-Za-z0-9_-]+)")]
    private static partial Regex Link();

    /// <summary>A fresh SQLite file with <see cref="Tenants"/> tenants sharing the bookings and one regional incident over them.</summary>
    sealed class ScenarioDatabase : IAsyncDisposable
    {
        readonly string directory;

        ScenarioDatabase(string directory, Db db)
        {
            this.directory = directory;
            Db = db;
        }

        public Db Db { get; }

        public static async Task<ScenarioDatabase> CreateAsync(int bookings)
        {
            var directory = Directory.CreateTempSubdirectory("rebooking-scenario-").FullName;
            var db = new Db(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "scenario.db")}");
            await new Migrator(db, NullLogger<Migrator>.Instance, TimeProvider.System).MigrateAsync();
            var perTenant = bookings / Tenants;
            for (var t = 0; t < Tenants; t++)
                await BenchmarkData.SeedAsync(db, perTenant, $"kommune-{t + 1}", firstSlotId: 1 + t * (perTenant / 5 + 1));
            return new ScenarioDatabase(directory, db);
        }

        public async Task<T> ScalarAsync<T>(string sql)
        {
            await using var connection = await Db.OpenAsync();
            return (await connection.ExecuteScalarAsync<T>(sql))!;
        }

        public async Task<IEnumerable<T>> QueryAsync<T>(string sql, object parameters)
        {
            await using var connection = await Db.OpenAsync();
            return await connection.QueryAsync<T>(sql, parameters);
        }

        /// <summary>The next <paramref name="count"/> queued messages (soonest appointments first) become due now; the rest wait.</summary>
        public async Task MakeDueAsync(int count)
        {
            await using var connection = await Db.OpenAsync();
            await connection.ExecuteAsync("UPDATE notifications SET due_at = '9999-12-31T00:00:00.0000000Z' WHERE status = 'queued'");
            await connection.ExecuteAsync("""
                UPDATE notifications SET due_at = @Now WHERE id IN (
                    SELECT id FROM notifications WHERE status = 'queued' ORDER BY priority_at LIMIT @Count)
                """, new { Now = DateTimeOffset.UtcNow, Count = count });
        }

        /// <summary>Returns the day the slots are on, the day after the outage.</summary>
        public async Task<DateTimeOffset> AddSlotsAfterOutageAsync(int slots, int capacity)
        {
            await using var connection = await Db.OpenAsync();
            var day = BenchmarkData.First.AddDays(31);
            for (var i = 0; i < slots; i++)
                await connection.ExecuteAsync("""
                    INSERT INTO slots (tenant_id, office_id, service_id, start_utc, end_utc, capacity, booked)
                    VALUES ('kommune-1', @Office, NULL, @Start, @End, @Capacity, 0)
                    """, new { Office = (i % 3) switch { 0 => "a", 1 => "b", _ => "c" }, Start = day.AddMinutes(15 * i), End = day.AddMinutes(15 * i + 15), Capacity = capacity });
            return day;
        }

        public ValueTask DisposeAsync()
        {
            SqliteConnection.ClearAllPools();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
            return ValueTask.CompletedTask;
        }
    }
}
