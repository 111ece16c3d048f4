using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rebooking.Data;
using Rebooking.Notifications;
using Rebooking.Outages;
using Rebooking.Rebookings;

namespace Rebooking.Benchmarks;

/// <summary>
/// The dispatcher sending <see cref="Bookings"/>·0.9 queued cancellations as SMS through the real Twilio
/// channel to a fake Twilio on 127.0.0.1 that answers 201 after 50 ms. Throughput = messages / mean time.
/// </summary>
[SimpleJob(RunStrategy.Monitoring, launchCount: 1, warmupCount: 1, iterationCount: 3, invocationCount: 1)]
public class DispatchThroughputBenchmark
{
    [Params(1000)]
    public int Bookings { get; set; }

    /// <summary>0 = no limit.</summary>
    [Params(0, 100)]
    public double RatePerSecond { get; set; }

    LoopbackServer twilio = null!;
    string directory = "";
    Db db = null!;

    [GlobalSetup]
    public void StartTwilio() => twilio = FakeTwilioListener.Start(TimeSpan.FromMilliseconds(50));

    [GlobalCleanup]
    public void StopTwilio() => twilio.Dispose();

    [IterationSetup]
    public void QueueMessages()
    {
        directory = Directory.CreateTempSubdirectory("rebooking-dispatch-").FullName;
        db = new Db(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(directory, "bench.db")}");
        new Migrator(db, NullLogger<Migrator>.Instance, TimeProvider.System).MigrateAsync().GetAwaiter().GetResult();
        BenchmarkData.SeedAsync(db, Bookings).GetAwaiter().GetResult();
        BenchmarkData.Processor(db, "bench").RunPendingAsync().GetAwaiter().GetResult();
    }

    [IterationCleanup]
    public void Delete()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    [Benchmark(Description = "dispatch queued SMS through Twilio (50 ms latency)")]
    public int Dispatch()
    {
        var sent = SmsDispatcher(db, twilio, RatePerSecond, "bench").RunPendingAsync().GetAwaiter().GetResult();
        if (sent != Bookings * 9 / 10) throw new InvalidOperationException($"Sent {sent}, expected {Bookings * 9 / 10}.");
        return sent;
    }

    /// <summary>A dispatcher sending SMS through the real Twilio channel and HttpClient to <paramref name="twilio"/>: 64 at once, claims of 256.</summary>
    internal static NotificationDispatcher SmsDispatcher(Db db, LoopbackServer twilio, double ratePerSecond, string worker)
    {
        var options = new TwilioOptions
        {
            AccountSid = FakeTwilioListener.AccountSid, AuthToken = "token", From = "Buergeramt", BaseUrl = twilio.BaseUrl, RatePerSecond = ratePerSecond,
        };
        var http = new HttpClient(new TwilioHttpHandler(options, TimeProvider.System) { InnerHandler = new SocketsHttpHandler { MaxConnectionsPerServer = 256 } })
        {
            Timeout = options.Timeout,
        };
        var channel = new TwilioSmsChannel(TwilioSmsChannel.CreateClient(http, options), options);
        return new NotificationDispatcher(db, new NotificationChannels(channel, null), TimeProvider.System,
            Options.Create(new NotificationOptions { Concurrency = 64, BatchSize = 256 }), Options.Create(new RebookingOptions()),
            new WorkerIdentity(worker), NullLogger<NotificationDispatcher>.Instance);
    }
}
