using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.EndToEnd;

/// <summary>What an operator relies on in a real Rebooking.Worker process: a clean stop on SIGTERM, metrics to scrape, logs with scopes.</summary>
public sealed partial class WorkerOperationsTests
{
    [Test]
    public async Task WorkerStoppedWithSigterm_ReleasesItsLeaseAtOnce_AndAnotherWorkerFinishesLongBeforeTheLeaseWouldRunOut()
    {
        const int bookings = 6000;
        await using var app = await RebookingApp.StartAsync();
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", Enumerable.Range(0, bookings)
            .Select(i => Booking($"T{i:0000}", "mitte", "personalausweis", SixSecondsApart("07:00", i))).ToArray());
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));

        // Leases of five minutes: if the stopping worker did not hand its work back, nobody could continue within this test.
        var environment = app.WorkerEnvironment(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));
        var directory = Directory.CreateTempSubdirectory("rebooking-sigterm-").FullName;
        await using var first = AppProcess.Start("Rebooking.Worker", directory, environment);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        var before = 0;
        while (DateTime.UtcNow < deadline)
        {
            before = await app.ScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings");
            if (before > 0) break;
            Assert.That(first.HasExited, Is.False, first.Output);
            await Task.Delay(10);
        }
        Assert.That(before, Is.InRange(1, bookings - 1), "the worker is in the middle of the outage");

        var exitCode = await first.TerminateAsync(TimeSpan.FromSeconds(20));

        Assert.That(exitCode, Is.EqualTo(0), "a clean exit on SIGTERM:\n" + first.Output);
        var stoppedAt = await app.ScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings");
        Assert.That(await app.ScalarAsync<string?>("SELECT lease_owner FROM outages"), Is.Null, "the outage was handed back");
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE status = 'sending'"), Is.Zero,
            "claimed messages were handed back");
        Assert.That(stoppedAt, Is.LessThan(bookings), "the worker stopped after its current batch instead of running on to the end");
        Assert.That(first.Output, Does.Contain("stopped for shutdown"));
        Assert.That(first.Output, Does.Not.Contain("Unhandled exception"));

        // The next worker continues at once: a lease of five minutes would otherwise hold it back.
        var started = DateTime.UtcNow;
        await using var second = AppProcess.Start("Rebooking.Worker", directory, environment);
        var stats = await app.WaitForStatsAsync("velbert", outage, s => s.GetProperty("processingComplete").GetBoolean() && s.GetProperty("contact").GetProperty("pending").GetInt32() == 0,
            TimeSpan.FromSeconds(90), second);
        Assert.That(DateTime.UtcNow - started, Is.LessThan(TimeSpan.FromMinutes(2)));
        Assert.That(stats.GetProperty("affected").GetInt32(), Is.EqualTo(bookings));
        Assert.That(stats.GetProperty("contact").GetProperty("notified").GetInt32(), Is.EqualTo(bookings));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM dev_outbox"), Is.EqualTo(bookings), "one message per citizen, none twice");
        TestContext.Out.WriteLine($"SIGTERM after {before} bookings; {stoppedAt} were cancelled when the worker had stopped");
        try { Directory.Delete(directory, true); } catch (IOException) { }
    }

    [Test]
    public async Task Worker_ServesPrometheusMetrics_AndLogsWithOutageAndNotificationScopes_WithoutPersonalData()
    {
        const int bookings = 40;
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await RebookingApp.StartAsync();
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", Enumerable.Range(0, bookings)
            .Select(i => Booking($"M{i:00}", "mitte", "personalausweis", $"{8 + i / 4:00}:{i % 4 * 15:00}", phone: $"0171 55500{i:00}")).ToArray());
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));

        var port = AppProcess.FreePort();
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Rebooking"] = app.Database.ConnectionString,
            ["Worker__PollInterval"] = "00:00:00.200",
            ["Metrics__Port"] = port.ToString(CultureInfo.InvariantCulture),
            ["Logging__Console__FormatterName"] = "json",
            ["Logging__Console__FormatterOptions__IncludeScopes"] = "true",
        };
        foreach (var (key, value) in twilio.Settings()) environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        var directory = Directory.CreateTempSubdirectory("rebooking-metrics-").FullName;
        await using var worker = AppProcess.Start("Rebooking.Worker", directory, environment);
        await app.WaitForStatsAsync("velbert", outage, s => s.GetProperty("contact").GetProperty("notified").GetInt32() == bookings, TimeSpan.FromSeconds(60), worker);

        using var http = new HttpClient();
        var metrics = "";
        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until)
        {
            // The exporter caches a scrape for 300 ms and the dispatcher counts the queue once per poll.
            metrics = await http.GetStringAsync($"http://localhost:{port}/metrics");
            if (Sample(metrics, "rebooking_notifications_queue_depth") == 0) break;
            await Task.Delay(300);
        }

        Assert.That(Sample(metrics, "rebooking_notifications_sent_total", "channel=\"sms\"", "kind=\"cancellation\""), Is.EqualTo(bookings), metrics);
        Assert.That(Sample(metrics, "rebooking_notification_dispatch_latency_seconds_count", "channel=\"sms\""), Is.EqualTo(bookings));
        Assert.That(Sample(metrics, "rebooking_notification_send_duration_seconds_count", "channel=\"sms\"", "outcome=\"accepted\""), Is.EqualTo(bookings));
        Assert.That(Sample(metrics, "rebooking_outage_bookings_cancelled_total"), Is.EqualTo(bookings));
        Assert.That(Sample(metrics, "rebooking_outage_processing_duration_seconds_count"), Is.EqualTo(1));
        Assert.That(Sample(metrics, "rebooking_notifications_queue_depth"), Is.Zero);
        Assert.That(metrics, Does.Contain("dotnet_gc_collections_total").Or.Contain("dotnet_gc_heap_total_allocated"), "the runtime's own meter is exported too");
        Assert.That(metrics, Does.Not.Contain("+49171"));
        Assert.That(twilio.WireErrors, Is.Empty);

        // Structured logs: one JSON object per line, the outage and the notification as scope, no phone number anywhere.
        var lines = worker.Output.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.That(lines.Any(l => HasScope(l, "OutageId", outage.ToString())), Is.True, worker.Output);
        Assert.That(lines.Any(l => HasScope(l, "NotificationId", null)), Is.True, "a log line carries the notification id as scope");
        // Not inside another token (a server id's hex, a duration's digits): those matched by chance now and then.
        Assert.That(worker.Output, Does.Not.Match(@"(?<![\w.])(\+?49\s?171|0171|55500\d\d)"), "no phone numbers in the logs");
        try { Directory.Delete(directory, true); } catch (IOException) { }
    }

    /// <summary>The value of the one sample of <paramref name="name"/> whose labels contain all of <paramref name="labels"/>.</summary>
    static double Sample(string exposition, string name, params string[] labels)
    {
        var matches = exposition.Split('\n')
            .Where(l => !l.StartsWith('#') && (l.StartsWith(name + "{", StringComparison.Ordinal) || l.StartsWith(name + " ", StringComparison.Ordinal)))
            .Where(l => labels.All(label => l.Contains(label, StringComparison.Ordinal)))
            .ToList();
        Assert.That(matches, Has.Count.EqualTo(1), $"one sample of {name} {string.Join(",", labels)} in:\n{exposition}");
        return double.Parse(SampleValue().Match(matches[0]).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    static bool HasScope(JsonElement line, string key, string? value) =>
        line.TryGetProperty("Scopes", out var scopes) && scopes.EnumerateArray().Any(s =>
            s.ValueKind == JsonValueKind.Object && s.TryGetProperty(key, out var v) && (value is null || v.ToString() == value));

    [GeneratedRegex(@"\s([0-9.eE+-]+|NaN)(\s+\d+)?\s*$")]
    private static partial Regex SampleValue();
}
