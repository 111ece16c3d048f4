using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Rebooking.Data;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.EndToEnd;

/// <summary>
/// The production shape under the faults of an outage day, all as real processes: the Api without an
/// in-process worker, two Rebooking.Worker processes on one SQLite file, the fake Twilio and a real SMTP
/// listener. An outage over 5,000 bookings is processed and told while workers are killed with SIGKILL
/// and restarted, Twilio answers 500 and 429 in bursts and stalls past our timeout, and the mail relay goes
/// away for a while. Afterwards every reachable citizen was told exactly once and nothing is left pending.
/// </summary>
public sealed partial class ResilienceTests
{
    const int Bookings = 5000;
    const int Concurrency = 16;
    const string AdminKey = "resilience-admin-key-0123456789abcdef";

    [Test]
    public async Task OutageOver5000Bookings_WithWorkersKilled_TwilioFailing_AndSmtpAway_TellsEveryReachableCitizenOnce()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        TestContext.Out.WriteLine($"random seed {seed}");
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var twilio = await FakeTwilio.StartAsync();
        await using var smtp = await SmtpSink.StartAsync();
        var faults = new TwilioFaults();
        twilio.Script = faults.Answer;

        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "sqlite",
            ["ConnectionStrings:Rebooking"] = database.ConnectionString,
            ["Demo:Seed"] = "false",
            ["Demo:AdminApiKey"] = AdminKey,
            ["Worker:InProcess"] = "false",
            ["Worker:PollInterval"] = "00:00:00.250",
            ["Outages:BatchSize"] = "100",
            ["Outages:Lease"] = "00:00:02",
            ["Notifications:Lease"] = "00:00:04",
            ["Notifications:Concurrency"] = Concurrency.ToString(CultureInfo.InvariantCulture),
            ["Notifications:BatchSize"] = "64",
            ["Notifications:MaxAttempts"] = "40",
            ["Notifications:BaseBackoff"] = "00:00:01",
            ["Notifications:MaxBackoff"] = "00:00:04",
        };
        foreach (var (key, value) in twilio.Settings()) settings[key] = value;
        foreach (var (key, value) in smtp.Settings) settings[key] = value;
        // Slow enough per worker that the faults below hit the dispatch, not an empty queue.
        settings["Twilio:RatePerSecond"] = "120";
        settings["Smtp:RatePerSecond"] = "60";
        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        var directory = Directory.CreateTempSubdirectory("rebooking-resilience-").FullName;
        var outputs = new List<AppProcess>();

        var port = AppProcess.FreePort();
        var api = AppProcess.Start("Rebooking.Api", directory, environment, "--urls", $"http://127.0.0.1:{port}");
        outputs.Add(api);
        var workers = new AppProcess[2];
        try
        {
            await api.WaitForHealthyAsync($"http://127.0.0.1:{port}/health", TimeSpan.FromSeconds(60));
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(60) };
            http.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
            var day = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2);
            await SeedAsync(http, day);
            for (var i = 0; i < workers.Length; i++) outputs.Add(workers[i] = AppProcess.Start("Rebooking.Worker", directory, environment));

            var declared = await http.PostAsJsonAsync("/api/tenants/velbert/outages", Declare(Local(day, "07:00"), Local(day, "18:00")));
            Assert.That((int)declared.StatusCode, Is.EqualTo(202), await declared.Content.ReadAsStringAsync());
            var outage = (await declared.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            var started = DateTime.UtcNow;

            // The fault timeline, in seconds after Twilio saw the first message; kills come on top of it. Counting
            // from the first send, not from the declaration, keeps the faults on the dispatch however long a worker
            // takes to start on a loaded machine (killing outage processing is WorkerCrashTests' part).
            var timeline = new (double At, Action Do)[]
            {
                (2, () => faults.Mode = TwilioFault.ServerErrors),
                (4, () => faults.Mode = TwilioFault.None),
                (5, () => smtp.Stop()),
                (6, () => faults.Mode = TwilioFault.TooManyRequests),
                (8, () => faults.Mode = TwilioFault.None),
                (10, () => faults.Mode = TwilioFault.Stalls),
                (12, () => faults.Mode = TwilioFault.None),
                (13, () => smtp.RestartAsync().GetAwaiter().GetResult()),
            };
            var next = 0;
            var kills = 0;
            var nextKill = 0.5 + random.NextDouble();
            DateTime? firstSend = null;
            JsonElement stats = default;
            while (true)
            {
                var total = (DateTime.UtcNow - started).TotalSeconds;
                if (firstSend is null && !twilio.Requests.IsEmpty) firstSend = DateTime.UtcNow;
                var elapsed = firstSend is { } first ? (DateTime.UtcNow - first).TotalSeconds : -1;
                while (next < timeline.Length && elapsed >= 0 && timeline[next].At <= elapsed) timeline[next++].Do();
                if (elapsed >= nextKill && elapsed < 16)
                {
                    var victim = random.Next(workers.Length);
                    workers[victim].Kill();
                    kills++;
                    outputs.Add(workers[victim] = AppProcess.Start("Rebooking.Worker", directory, environment));
                    nextKill = elapsed + 1.5 + random.NextDouble() * 2;
                }
                stats = await http.GetFromJsonAsync<JsonElement>($"/api/tenants/velbert/outages/{outage}/stats");
                AssertInvariants(stats);
                if (next == timeline.Length && stats.GetProperty("processingComplete").GetBoolean()
                    && stats.GetProperty("contact").GetProperty("pending").GetInt32() == 0) break;
                Assert.That(total, Is.LessThan(240), $"not done after 4 minutes: {stats}\n{Tail(workers)}");
                await Task.Delay(100);
            }
            var took = DateTime.UtcNow - started;
            TestContext.Out.WriteLine($"done after {took.TotalSeconds:0.0} s with {kills} workers killed; Twilio saw {twilio.Requests.Count} create requests, {faults.Faulted} of them faulted");

            // What the supervisors see.
            Assert.That(stats.GetProperty("affected").GetInt32(), Is.EqualTo(Bookings));
            Assert.That(stats.GetProperty("contact").GetProperty("notified").GetInt32(), Is.EqualTo(Bookings * 9 / 10));
            Assert.That(stats.GetProperty("contact").GetProperty("unreachable").GetInt32(), Is.EqualTo(Bookings / 10), "only those without any contact");
            Assert.That(kills, Is.GreaterThanOrEqualTo(3));
            Assert.That(faults.Faulted, Is.GreaterThan(0), "Twilio's faults were met");

            // What the citizens got: one SMS per mobile, checked on Twilio's side.
            Assert.That(twilio.WireErrors, Is.Empty);
            var sms = twilio.Messages.Values.GroupBy(m => m.To).ToDictionary(g => g.Key, g => g.Count());
            Assert.That(sms, Has.Count.EqualTo(Bookings * 7 / 10), "every mobile number got a message");
            Assert.That(sms.Where(s => s.Value > 1).Select(s => s.Key), Is.Empty, "no SMS twice");

            // One email per email-only citizen. SMTP cannot be asked what it received, so a worker killed between the
            // relay's 250 and our record sends again: the copy carries the same Message-ID, and there can be no more
            // copies than messages in flight at the kills.
            var mails = smtp.Messages().Select(Mail.Parse).ToList();
            var byRecipient = mails.GroupBy(m => m.To).ToDictionary(g => g.Key, g => g.ToList());
            Assert.That(byRecipient, Has.Count.EqualTo(Bookings * 2 / 10), "every email-only citizen got a mail, nobody reachable by SMS did");
            Assert.That(byRecipient.Keys.All(to => to.StartsWith("nur-mail", StringComparison.Ordinal)), Is.True);
            Assert.That(byRecipient.Values.Where(m => m.Select(x => x.MessageId).Distinct().Count() != 1).Select(m => m[0].To), Is.Empty,
                "all copies to one citizen are the same message");
            var copies = mails.Count - byRecipient.Count;
            TestContext.Out.WriteLine($"{mails.Count} mails for {byRecipient.Count} citizens: {copies} sent again after a kill");
            Assert.That(copies, Is.LessThanOrEqualTo(kills * Concurrency));

            // Nothing stuck: no message waits, no lease is held, every affected citizen has an outcome.
            await using var connection = new SqliteConnection(database.ConnectionString);
            Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE status IN ('queued', 'sending')"), Is.Zero);
            Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notifications"), Is.EqualTo(Bookings * 9 / 10));
            Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM outages WHERE lease_owner IS NOT NULL"), Is.Zero);
            Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(DISTINCT booking_id) FROM affected_bookings"), Is.EqualTo(Bookings));

            // And none of it in the logs: no phone number, no address.
            var logs = string.Join("\n", outputs.Select(p => p.Output));
            Assert.That(PersonalData().Matches(logs).Select(m => m.Value).Distinct().Take(5), Is.Empty, "no personal data in any process's log");
        }
        finally
        {
            foreach (var process in workers.Where(w => w is not null)) await process.DisposeAsync();
            await api.DisposeAsync();
            try { Directory.Delete(directory, true); } catch (IOException) { }
        }
    }

    /// <summary>A tenant of three offices and 5,000 bookings: 10% without contact, 20% email only, 10% both, 60% mobile only.</summary>
    static async Task SeedAsync(HttpClient http, DateOnly day)
    {
        var put = await http.PutAsJsonAsync("/api/tenants/velbert", RebookingApp.TenantBody());
        Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
        var first = Local(day, "07:00");
        var rows = Enumerable.Range(0, Bookings).Select(i =>
        {
            var start = SixSecondsApart(first, i);
            var office = (i % 3) switch { 0 => "mitte", 1 => "langenberg", _ => "neviges" };
            return (i % 10) switch
            {
                0 => Booking($"R{i:0000}", office, "personalausweis", start, phone: null),
                1 or 2 => Booking($"R{i:0000}", office, "personalausweis", start, phone: null, email: $"nur-mail-{i}@example.org"),
                3 => Booking($"R{i:0000}", office, "personalausweis", start, phone: $"0171 {1000000 + i}", email: $"beides-{i}@example.org"),
                _ => Booking($"R{i:0000}", office, "personalausweis", start, phone: $"0171 {1000000 + i}"),
            };
        }).ToArray();
        var import = await http.PostAsJsonAsync("/api/tenants/velbert/bookings/import", rows);
        Assert.That(import.IsSuccessStatusCode, Is.True, await import.Content.ReadAsStringAsync());
    }

    /// <summary>An ISO time on <paramref name="day"/> in Berlin, with the offset that day really has.</summary>
    static string Local(DateOnly day, string time)
    {
        var local = day.ToDateTime(TimeOnly.Parse(time, CultureInfo.InvariantCulture));
        var offset = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin").GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);
    }

    static string Tail(IEnumerable<AppProcess> processes) =>
        string.Join("\n---\n", processes.Select(p => string.Join("\n", p.Output.Split('\n').TakeLast(30))));

    enum TwilioFault { None, ServerErrors, TooManyRequests, Stalls }

    /// <summary>Twilio's answers while the test moves through its fault timeline.</summary>
    sealed class TwilioFaults
    {
        int count;
        int faulted;

        public volatile TwilioFault Mode;

        public int Faulted => faulted;

        public FakeTwilio.Reply Answer(Dictionary<string, string> form)
        {
            var mode = Mode;
            if (mode == TwilioFault.None) return FakeTwilio.Reply.Created();
            Interlocked.Increment(ref faulted);
            return mode switch
            {
                // Half of the 500s come after Twilio created the message: only reconciliation keeps that from going out twice.
                TwilioFault.ServerErrors => FakeTwilio.Reply.ServerError(createdAnyway: Interlocked.Increment(ref count) % 2 == 0),
                TwilioFault.TooManyRequests => FakeTwilio.Reply.TooManyRequests(1),
                // Longer than our 1 s timeout; Twilio creates the message when the stall ends.
                _ => FakeTwilio.Reply.StallThenCreate(TimeSpan.FromSeconds(1.5)),
            };
        }
    }

    sealed record Mail(string To, string MessageId)
    {
        public static Mail Parse(string raw) => new(Header(raw, "To").Trim('<', '>', ' '), Header(raw, "Message-ID"));

        static string Header(string raw, string name)
        {
            var match = Regex.Match(raw, $@"^{Regex.Escape(name)}:\s*(.+?)\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase);
            Assert.That(match.Success, Is.True, $"{name} header in:\n{raw[..Math.Min(raw.Length, 800)]}");
            return match.Groups[1].Value.Trim();
        }
    }

    [GeneratedRegex(@"\+?49171\d{7}|0171 ?\d{7}|[a-z-]+-\d+@example\.org")]
    private static partial Regex PersonalData();
}
