using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rebooking.Notifications;
using Rebooking.Outages;
using Rebooking.Rebookings;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Notifications;

/// <summary>The dispatcher against Twilio's API served over real HTTP, and a real SMTP listener.</summary>
public sealed class DispatcherTests
{
    FakeTwilio twilio = null!;
    SmtpSink smtp = null!;
    RebookingApp app = null!;
    Guid outage;

    const string Sms = "+491711000001", Both = "+491711000002", English = "+491711000003";

    [SetUp]
    public async Task Start()
    {
        twilio = await FakeTwilio.StartAsync();
        smtp = await SmtpSink.StartAsync();
        var settings = twilio.Settings();
        foreach (var (key, value) in smtp.Settings) settings[key] = value;
        settings["Notifications:Concurrency"] = "1";
        app = await RebookingApp.StartAsync(settings: settings, now: DateTimeOffset.Parse("2021-05-06T07:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("SMS", "mitte", "geburt", "09:00", phone: "0171 1000001"),
            Booking("BOTH", "mitte", "geburt", "10:00", phone: "0171 1000002", email: "both@example.org"),
            Booking("MAIL", "neviges", "sterbefall", "11:00", phone: null, email: "mail@example.org"),
            Booking("LAND", "neviges", "sterbefall", "12:00", phone: "02051 26-0"),
            Booking("NONE", "neviges", "sterbefall", "13:00", phone: null),
        });
        await app.ImportAsync("velbert", "bookings", new[]
        {
            new { externalRef = "ENG", officeId = "mitte", serviceId = "geburt", start = Full("08:30"), end = Full("08:45"), name = "Jane Doe", phone = "0171 1000003", language = "en" },
        });
        outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
    }

    [TearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        await twilio.DisposeAsync();
        await smtp.DisposeAsync();
    }

    NotificationDispatcher Dispatcher => app.Services.GetRequiredService<NotificationDispatcher>();

    Task<string> Status(string reference) => app.ScalarAsync<string>(
        "SELECT n.status FROM notifications n JOIN bookings b ON b.id = n.booking_id WHERE b.external_ref = @R AND n.kind = 'cancellation'", new { R = reference });

    [Test]
    public async Task Cancellations_GoOutOnceEach_SmsToMobilesEmailOtherwise_SoonestFirst_InTwiliosWireFormat()
    {
        await Dispatcher.RunPendingAsync();

        Assert.That(twilio.WireErrors, Is.Empty);
        var requests = twilio.Requests.ToList();
        Assert.That(requests.Select(r => r["To"]), Is.EqualTo(new[] { English, Sms, Both }), "soonest appointment first; landlines get no SMS");
        Assert.That(requests.Select(r => r["From"]), Is.All.EqualTo(FakeTwilio.From));
        Assert.That(requests.Select(r => r["StatusCallback"]), Is.All.EqualTo("https://termine.velbert.de/webhooks/twilio/status"));
        var german = requests[1]["Body"];
        Assert.That(german, Does.StartWith("Stadt Velbert: Ihr Termin am Do 06.05. um 09:00 Uhr (Servicebüro Mitte) kann leider nicht stattfinden."));
        Assert.That(german, Does.Contain("https://termine.velbert.de/r/").And.Contain("Fragen: 02051 26-0"));
        Assert.That(german, Does.Not.Contain("Bürger SMS").And.Not.Contain("Geburt"), "an SMS carries no name and no service");
        Assert.That(requests[0]["Body"], Does.Contain("cannot take place"));
        foreach (var body in requests.Select(r => r["Body"]))
            Assert.That(SmsSegments.Measure(body), Has.Property("Encoding").EqualTo(SmsEncoding.Gsm7).And.Property("Segments").LessThanOrEqualTo(2));

        var mails = smtp.Messages();
        Assert.That(mails, Has.Count.EqualTo(1));
        Assert.That(mails[0], Does.Contain("To: mail@example.org"));

        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("contact").GetProperty("notified").GetInt32(), Is.EqualTo(4));
        Assert.That(stats.GetProperty("contact").GetProperty("unreachable").GetInt32(), Is.EqualTo(2));
        Assert.That(stats.GetProperty("contact").GetProperty("pending").GetInt32(), Is.Zero);

        // Running again sends nothing more.
        await Dispatcher.RunPendingAsync();
        Assert.That(twilio.Requests, Has.Count.EqualTo(3));
        Assert.That(smtp.Messages(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Links_AreStoredAsHashesOnly_AndNothingPersonalReachesTheLogs()
    {
        await Dispatcher.RunPendingAsync();
        var token = Scenario.LinkToken(twilio.Requests.First()["Body"]);
        Assert.That(token, Has.Length.EqualTo(24), "144 random bits, base64url");
        await using (var connection = await app.Db.OpenAsync())
        {
            var hashes = (await connection.QueryAsync<byte[]>("SELECT token_hash FROM rebooking_links")).ToList();
            Assert.That(hashes, Has.Count.EqualTo(4));
            Assert.That(hashes, Does.Contain(RebookingLinks.Hash(token)));
            Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE recipient_masked LIKE '%1000001%' OR last_error LIKE @T", new { T = $"%{token}%" }), Is.Zero);
        }
        var logs = string.Join("\n", app.Logs);
        Assert.That(logs, Does.Not.Contain("1000001").And.Not.Contain("1000002").And.Not.Contain("mail@example.org").And.Not.Contain(token));
    }

    [Test]
    public async Task TooManyRequests_WaitsForRetryAfter_ThenSendsOnce()
    {
        var refused = false;
        twilio.Script = r => r["To"] == Sms && !refused && (refused = true) ? FakeTwilio.Reply.TooManyRequests(30) : FakeTwilio.Reply.Created();

        await Dispatcher.RunPendingAsync();
        Assert.That(await Status("SMS"), Is.EqualTo("queued"));
        var due = await app.ScalarAsync<DateTimeOffset>("SELECT n.due_at FROM notifications n JOIN bookings b ON b.id = n.booking_id WHERE b.external_ref = 'SMS'");
        Assert.That(due - app.Clock.GetUtcNow(), Is.EqualTo(TimeSpan.FromSeconds(30)));

        await Dispatcher.RunPendingAsync();
        Assert.That(twilio.SentTo(Sms), Is.Empty, "not before Retry-After");
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await Dispatcher.RunPendingAsync();
        Assert.That(twilio.SentTo(Sms).Count(), Is.EqualTo(1));
        Assert.That(await Status("SMS"), Is.EqualTo("accepted"));
    }

    [TestCase(true, 1)]
    [TestCase(false, 2)]
    public async Task ServerError_IsReconciledWithTwilioBeforeAnyResend(bool createdAnyway, int expectedRequests)
    {
        var failed = false;
        twilio.Script = r => r["To"] == Sms && !failed && (failed = true) ? FakeTwilio.Reply.ServerError(createdAnyway) : FakeTwilio.Reply.Created();

        await Dispatcher.RunPendingAsync();
        Assert.That(await Status("SMS"), Is.EqualTo("queued"));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await Dispatcher.RunPendingAsync();

        Assert.That(twilio.ListCalls, Is.GreaterThanOrEqualTo(1), "the next attempt asked Twilio first");
        Assert.That(twilio.SentTo(Sms).Count(), Is.EqualTo(1), "the citizen gets exactly one message");
        Assert.That(twilio.Requests.Count(r => r["To"] == Sms), Is.EqualTo(expectedRequests));
        Assert.That(await Status("SMS"), Is.EqualTo("accepted"));
        Assert.That(twilio.WireErrors, Is.Empty);
    }

    [Test]
    public async Task StallLongerThanTheTimeout_IsReconciledNotResent()
    {
        var stalled = false;
        twilio.Script = r => r["To"] == Sms && !stalled && (stalled = true) ? FakeTwilio.Reply.StallThenCreate(TimeSpan.FromSeconds(2)) : FakeTwilio.Reply.Created();

        await Dispatcher.RunPendingAsync();
        Assert.That(await Status("SMS"), Is.EqualTo("queued"), "a timeout leaves the outcome open");
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // the stalled request completes at "Twilio"
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await Dispatcher.RunPendingAsync();

        Assert.That(twilio.SentTo(Sms).Count(), Is.EqualTo(1));
        Assert.That(twilio.Requests.Count(r => r["To"] == Sms), Is.EqualTo(1));
        Assert.That(await Status("SMS"), Is.EqualTo("accepted"));
    }

    [TestCase(21211)]
    [TestCase(21610)]
    [TestCase(21614)]
    public async Task PermanentSmsError_FallsBackToEmail_OrMakesTheCitizenUnreachable(int code)
    {
        twilio.Script = r => r["To"] is Sms or Both ? FakeTwilio.Reply.Error(code) : FakeTwilio.Reply.Created();

        await Dispatcher.RunPendingAsync();

        Assert.That(smtp.Messages().Count(m => m.Contains("To: both@example.org")), Is.EqualTo(1), "BOTH has an email address: fallback");
        Assert.That(await Status("BOTH"), Is.EqualTo("accepted"));
        Assert.That(await Status("SMS"), Is.EqualTo("failed"));
        Assert.That(await app.ScalarAsync<string>("SELECT error_code FROM notifications n JOIN bookings b ON b.id = n.booking_id WHERE b.external_ref = 'SMS'"),
            Is.EqualTo(code.ToString()));
        var callList = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/velbert/outages/{outage}/unreachable");
        var failed = callList.EnumerateArray().Single(r => r.GetProperty("bookingRef").GetString() == "SMS");
        Assert.That(failed.GetProperty("reason").GetString(), Is.EqualTo("failed"));
        Assert.That(failed.GetProperty("phone").GetString(), Is.EqualTo(Sms), "the hotline sees the number that failed");
        await app.StatsAsync("velbert", outage);
    }

    [Test]
    public async Task SmtpGoneForAWhile_IsRetriedLater_AndNothingIsLost()
    {
        smtp.Stop();
        await Dispatcher.RunPendingAsync();
        Assert.That(await Status("MAIL"), Is.EqualTo("queued"));
        Assert.That(await Status("SMS"), Is.EqualTo("accepted"), "SMS is not held back by SMTP trouble");
        await using var again = await SmtpSink.StartAsync();
        // The configured port is the old sink's; point a new dispatcher at the restarted one.
        var dispatcher = new NotificationDispatcher(app.Db,
            new NotificationChannels(null, new SmtpEmailChannel(new SmtpOptions { Host = "127.0.0.1", Port = again.Port, From = "termine@velbert.de", StartTls = false, RatePerSecond = 0 })),
            app.Clock, Options.Create(new NotificationOptions()), Options.Create(new RebookingOptions()), new WorkerIdentity("second"),
            NullLogger<NotificationDispatcher>.Instance);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await dispatcher.RunPendingAsync();
        Assert.That(again.Messages(), Has.Count.EqualTo(1));
        Assert.That(await Status("MAIL"), Is.EqualTo("accepted"));
    }

    [TestCase("RCPT:550 5.1.1 no such user", "failed", 0)]
    [TestCase("DATA:554 5.6.0 message refused", "failed", 0)]
    [TestCase("RCPT:451 4.3.0 try later", "accepted", 1)]
    [TestCase("DATA:452 4.3.1 insufficient storage", "accepted", 1)]
    public async Task SmtpRefusalAtSendTime_5xxFailsTheMailForGood_4xxSendsItLaterWithTheSameMessageId(string refusal, string finalStatus, int mails)
    {
        // The real aiosmtpd answers the first attempt with the refusal and would accept any later one.
        await using var relay = await ScriptedSmtp.StartAsync(refusal);
        var dispatcher = new NotificationDispatcher(app.Db,
            new NotificationChannels(app.Services.GetRequiredService<NotificationChannels>().Sms,
                new SmtpEmailChannel(new SmtpOptions { Host = "127.0.0.1", Port = relay.Port, From = "termine@velbert.de", StartTls = false, RatePerSecond = 0 })),
            app.Clock, Options.Create(new NotificationOptions()), Options.Create(new RebookingOptions()), new WorkerIdentity("scripted"),
            NullLogger<NotificationDispatcher>.Instance);

        await dispatcher.RunPendingAsync();
        Assert.That(await Status("MAIL"), Is.EqualTo(finalStatus == "failed" ? "failed" : "queued"));
        Assert.That(relay.Messages(), Is.Empty);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await dispatcher.RunPendingAsync();

        Assert.That(await Status("MAIL"), Is.EqualTo(finalStatus), "5xx is not retried; 4xx is");
        Assert.That(relay.Messages(), Has.Count.EqualTo(mails));
        var id = await app.ScalarAsync<long>("SELECT n.id FROM notifications n JOIN bookings b ON b.id = n.booking_id WHERE b.external_ref = 'MAIL' AND n.kind = 'cancellation'");
        Assert.That(relay.Messages().Select(m => Regex.Match(m, @"^Message-Id:\s*(\S+)", RegexOptions.Multiline | RegexOptions.IgnoreCase).Groups[1].Value),
            Is.EqualTo(Enumerable.Repeat($"<n{id}.rebooking@velbert.de>", mails)), "the attempt after the deferral keeps the notification's Message-ID");
    }

    [Test]
    public async Task TwoDispatchersOnOneDatabase_SendEveryMessageExactlyOnce()
    {
        await QueueManyAsync();

        await Task.WhenAll(SmallBatches("one").RunPendingAsync(), SmallBatches("two").RunPendingAsync());

        var perNumber = twilio.Requests.GroupBy(r => r["To"]).ToList();
        Assert.That(perNumber, Has.Count.EqualTo(303));
        Assert.That(perNumber.Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE status NOT IN ('accepted')"), Is.EqualTo(0));
    }

    [Test]
    public async Task OverlappingRunsUnderOneWorkerName_SendEveryMessageExactlyOnce()
    {
        // What a scheduler firing again before the last run ended amounts to: several loops in one process, one worker name.
        await QueueManyAsync();
        var single = SmallBatches("same-process");

        var handled = await Task.WhenAll(SmallBatches("same-process").RunPendingAsync(), SmallBatches("same-process").RunPendingAsync(),
            SmallBatches("same-process").RunPendingAsync(), single.RunPendingAsync(), single.RunPendingAsync());

        var perNumber = twilio.Requests.GroupBy(r => r["To"]).ToList();
        Assert.That(perNumber, Has.Count.EqualTo(303));
        Assert.That(perNumber.Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, "no message sent twice");
        var messages = await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications");
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM rebooking_links"), Is.EqualTo(messages), "one attempt, so one link, per message");
        Assert.That(handled.Sum(), Is.EqualTo(messages));
        Assert.That(handled[3] == 0 || handled[4] == 0, Is.True, "one dispatcher object runs one loop at a time");
    }

    [Test]
    public async Task StoppedWhileAttemptsWaitForTheirTurn_HandsThemBackAsClaimed_WithoutLinks_AndTheNextRunSendsEachOnce()
    {
        // SMS paced to one per two seconds: the soonest goes out at once, the next waits for its turn when the stop comes.
        var channels = app.Services.GetRequiredService<NotificationChannels>();
        var paced = new NotificationDispatcher(app.Db, new NotificationChannels(new Paced(channels.Sms!, 0.5), channels.Email), app.Clock,
            Options.Create(new NotificationOptions { Concurrency = 1 }), Options.Create(new RebookingOptions()), new WorkerIdentity("paced"),
            NullLogger<NotificationDispatcher>.Instance);
        using var stop = new CancellationTokenSource();
        var run = paced.RunPendingAsync(stop.Token);
        while (twilio.Requests.IsEmpty && !run.IsCompleted) await Task.Delay(10);
        await stop.CancelAsync();

        Assert.That(async () => await run, Throws.InstanceOf<OperationCanceledException>());
        Assert.That(twilio.Requests.Select(r => r["To"]), Is.EqualTo(new[] { English }));
        Assert.That(await Status("ENG"), Is.EqualTo("accepted"));
        Assert.That(await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM notifications WHERE status = 'queued' AND in_flight = 0 AND attempted_at IS NULL AND body_hash IS NULL AND lease_owner IS NULL"),
            Is.EqualTo(3), "SMS, BOTH and MAIL are back as they were claimed");
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM rebooking_links"), Is.EqualTo(1), "only the link that was sent remains");

        await Dispatcher.RunPendingAsync();
        Assert.That(twilio.Requests.Select(r => r["To"]), Is.EqualTo(new[] { English, Sms, Both }), "each once, and not reconciled first");
        Assert.That(twilio.ListCalls, Is.Zero);
        Assert.That(smtp.Messages(), Has.Count.EqualTo(1));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM rebooking_links"), Is.EqualTo(4));
    }

    /// <summary>A channel as another, paced to its own rate.</summary>
    sealed class Paced(INotificationChannel inner, double perSecond) : INotificationChannel
    {
        public string Name => inner.Name;
        public double RatePerSecond => perSecond;
        public Task<SendOutcome> SendAsync(OutgoingMessage message, string? statusCallback, CancellationToken ct) => inner.SendAsync(message, statusCallback, ct);
        public Task<SendOutcome?> ReconcileAsync(string to, byte[] bodyHash, DateTimeOffset attemptedAt, CancellationToken ct) => inner.ReconcileAsync(to, bodyHash, attemptedAt, ct);
    }

    /// <summary>300 more SMS queued (one number each) on top of the set-up's, with a fake Twilio that takes 5 ms.</summary>
    async Task QueueManyAsync()
    {
        await app.ImportAsync("velbert", "bookings", Enumerable.Range(0, 300)
            .Select(i => Booking($"P{i:000}", "mitte", "personalausweis", DateTimeOffset.Parse(Full("14:00")).AddSeconds(i * 10).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
                phone: $"0172 {2000000 + i}")).ToArray());
        await app.PatchAsync(outage);
        await app.ProcessAsync();
        twilio.Latency = TimeSpan.FromMilliseconds(5);
    }

    NotificationDispatcher SmallBatches(string worker) => new(app.Db, app.Services.GetRequiredService<NotificationChannels>(), app.Clock,
        Options.Create(new NotificationOptions { Concurrency = 8, BatchSize = 20 }), Options.Create(new RebookingOptions()), new WorkerIdentity(worker),
        NullLogger<NotificationDispatcher>.Instance);
}

internal static class DispatcherTestExtensions
{
    /// <summary>Forces another processing pass (newly imported bookings inside the window).</summary>
    public static Task<int> PatchAsync(this RebookingApp app, Guid outage) =>
        app.ScalarAsync<int>("UPDATE outages SET desired_version = desired_version + 1 WHERE id = @Id", new { Id = outage });

    public static async Task<T> GetFromJsonAsync<T>(this HttpClient client, string url) =>
        (await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<T>(client, url))!;
}
