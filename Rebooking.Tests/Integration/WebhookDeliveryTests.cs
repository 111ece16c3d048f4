using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rebooking.Integration;
using Rebooking.Notifications;
using Rebooking.Outages;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Integration;

/// <summary>
/// Webhook deliveries to a real receiver process on loopback that verifies every signature on its own: complete,
/// signed, in order per booking, through a receiver that fails, times out and goes away, and a worker killed
/// mid-delivery.
/// </summary>
public sealed class WebhookDeliveryTests
{
    RebookingApp app = null!;
    WebhookReceiver receiver = null!;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Rebooking:RequestsPerMinutePerClient"] = "0",
            ["Webhooks:AllowLoopback"] = "true",
            ["Webhooks:Timeout"] = "00:00:01",
            ["Webhooks:Lease"] = "00:00:30",
        }, now: DateTimeOffset.Parse("2021-05-06T06:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        receiver = await WebhookReceiver.StartAsync();
    }

    [TearDown]
    public async Task Stop()
    {
        if (receiver is not null) await receiver.DisposeAsync();
        if (app is not null) await app.DisposeAsync();
    }

    WebhookDispatcher Dispatcher => app.Services.GetRequiredService<WebhookDispatcher>();

    async Task<Guid> CreateWebhookAsync(string? url = null)
    {
        var response = await app.Admin().PostAsJsonAsync("/api/tenants/velbert/webhooks", new { url = url ?? receiver.Url, description = "TEVIS Velbert" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        receiver.UseSecret(created.GetProperty("secret").GetString()!);
        return created.GetProperty("id").GetGuid();
    }

    /// <summary>Runs the dispatcher, moving the clock past every backoff, until nothing is pending (or fails after <paramref name="rounds"/>).</summary>
    async Task DeliverAllAsync(int rounds = 30)
    {
        for (var i = 0; i < rounds; i++)
        {
            await Dispatcher.DeliverDueAsync();
            if (await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'") == 0
                && await app.ScalarAsync<long>("SELECT COUNT(*) FROM booking_changes") == await app.ScalarAsync<long>("SELECT COUNT(*) FROM webhook_deliveries"))
                return;
            app.Clock.Advance(TimeSpan.FromMinutes(10));
        }
        Assert.Fail("deliveries still pending: " + await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'"));
    }

    /// <summary>Every change in the feed, in feed order.</summary>
    async Task<List<JsonElement>> FeedAsync()
    {
        var all = new List<JsonElement>();
        string? after = null;
        while (true)
        {
            var page = await app.Admin().GetFromJsonAsync<JsonElement>("/api/tenants/velbert/changes?limit=1000" + (after is null ? "" : $"&after={after}"));
            var changes = page.GetProperty("changes").EnumerateArray().ToList();
            if (changes.Count == 0) return all;
            all.AddRange(changes);
            after = page.GetProperty("next").GetString();
        }
    }

    /// <summary>
    /// What the receiver got: every request signed validly; each change once or again with the same id and
    /// the same body; every change of the feed among them; and each booking's changes first arriving in order.
    /// </summary>
    async Task AssertReceivedEverythingInOrderAsync()
    {
        var feed = await FeedAsync();
        var log = receiver.Log();
        Assert.That(log.Where(r => !r.Valid), Is.Empty, "every delivery's signature verifies");
        foreach (var group in log.GroupBy(r => r.Id))
        {
            Assert.That(group.Select(r => r.Body).Distinct().Count(), Is.EqualTo(1), $"change {group.Key} redelivered with the same body");
            Assert.That(group.First().Change.GetProperty("id").GetString(), Is.EqualTo(group.Key), "webhook-id is the change id");
        }
        Assert.That(log.Select(r => r.Id).Distinct(), Is.EquivalentTo(feed.Select(c => c.GetProperty("id").GetString())), "every change arrived, nothing else");
        var firstArrivals = log.DistinctBy(r => r.Id).ToList();
        foreach (var booking in firstArrivals.GroupBy(r => r.Change.GetProperty("bookingRef").GetString()))
            Assert.That(booking.Select(r => r.Id), Is.Ordered.Using<string>(StringComparer.Ordinal), $"the changes of booking {booking.Key} arrived in order");
    }

    [Test]
    public async Task AnOutageOf500Bookings_ThenReinstatementsAndRebookings_ArriveSignedComplete_AndInOrderPerBooking()
    {
        await CreateWebhookAsync();
        await app.ImportAsync("velbert", "slots", new[]
        {
            new { officeId = "mitte", serviceId = (string?)null, start = Full("19:00"), end = Full("19:15"), capacity = 20 },
        });
        await app.ImportAsync("velbert", "bookings", Enumerable.Range(0, 500)
            .Select(i => Booking($"W{i:000}", "mitte", "personalausweis", SixSecondsApart("07:00", i), phone: $"0171 2{i:000000}")).ToArray());
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        await DeliverAllAsync();
        Assert.That(receiver.Log().Select(r => r.Id).Distinct().Count(), Is.EqualTo(500));

        // The outage ends early (bookings from 07:40 on, 100 of them, are valid again); ten citizens rebook, five decline.
        var shorten = await app.Admin().PatchAsJsonAsync($"/api/tenants/velbert/outages/{outage}", new { end = Full("07:40") });
        Assert.That(shorten.IsSuccessStatusCode, Is.True);
        await app.ProcessAsync();
        var outbox = await app.Admin().GetFromJsonAsync<JsonElement>("/api/dev/outbox");
        string Token(int i) => LinkToken(outbox.EnumerateArray().First(m => m.GetProperty("to").GetString() == $"+49171{2000000 + i}").GetProperty("body").GetString()!);
        var slotId = await app.ScalarAsync<long>("SELECT id FROM slots");
        for (var i = 0; i < 10; i++)
            Assert.That((await app.Anonymous().PostAsJsonAsync($"/api/rebook/{Token(i)}", new { slotId = slotId.ToString() })).IsSuccessStatusCode, Is.True);
        for (var i = 10; i < 15; i++)
            Assert.That((await app.Anonymous().PostAsync($"/api/rebook/{Token(i)}/decline", null)).IsSuccessStatusCode, Is.True);
        await DeliverAllAsync();

        var types = receiver.Log().DistinctBy(r => r.Id).GroupBy(r => r.Change.GetProperty("type").GetString()).ToDictionary(g => g.Key!, g => g.Count());
        Assert.That(types, Is.EqualTo(new Dictionary<string, int>
        {
            ["booking.cancelled"] = 500, ["booking.reinstated"] = 100, ["booking.rebooked"] = 10, ["booking.declined"] = 5,
        }));
        var rebooked = receiver.Log().First(r => r.Change.GetProperty("type").GetString() == "booking.rebooked").Change;
        Assert.That(rebooked.GetProperty("newBooking").GetProperty("start").GetString(), Is.EqualTo("2021-05-06T19:00:00+02:00"));
        Assert.That(rebooked.GetProperty("outageId").GetGuid(), Is.EqualTo(outage));
        Assert.That(receiver.Log().Any(r => r.Body.Contains("Bürger") || r.Body.Contains("+49")), Is.False, "no names or contact data in the bodies");
        await AssertReceivedEverythingInOrderAsync();
    }

    [Test]
    public async Task AReceiverThatFails_TimesOut_AndIsAway_GetsEverythingAfterwards_InOrder()
    {
        var webhook = await CreateWebhookAsync();
        await app.ImportAsync("velbert", "bookings", Enumerable.Range(0, 20)
            .Select(i => Booking($"F{i:00}", "mitte", "geburt", SixSecondsApart("07:00", i), phone: null)).ToArray());
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();

        await receiver.AnswerAsync(500);
        await Dispatcher.DeliverDueAsync();
        var log = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/velbert/webhooks/{webhook}/deliveries");
        var first = log.EnumerateArray().ToList();
        Assert.That(first, Has.Count.EqualTo(20));
        Assert.That(first.All(d => d.GetProperty("status").GetString() == "pending" && d.GetProperty("lastStatusCode").GetInt32() == 500
            && d.GetProperty("attempts").GetInt32() == 1), Is.True, log.ToString());
        Assert.That(first[0].GetProperty("nextAttemptAt").GetString(), Is.EqualTo("2021-05-06T06:00:10+02:00"), "the first retry within 30 s");
        Assert.That(await Dispatcher.DeliverDueAsync(), Is.Zero, "nothing is tried again before its time");

        app.Clock.Advance(TimeSpan.FromSeconds(11));
        await receiver.AnswerAsync(204, delaySeconds: 2.5);
        await Dispatcher.DeliverDueAsync();
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE last_error LIKE 'no answer within%'"), Is.EqualTo(20));

        // Away for an hour, while the outage is resolved: the reinstatements queue up behind the cancellations.
        receiver.Stop();
        await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{outage}/resolve", new { at = Full("07:00") });
        await app.ProcessAsync();
        for (var minute = 0; minute < 60; minute += 10)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(10));
            await Dispatcher.DeliverDueAsync();
        }
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'"), Is.Zero);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE last_error LIKE 'connection failed%'"), Is.EqualTo(20));

        await receiver.ListenAsync();
        await receiver.AnswerAsync(204);
        await DeliverAllAsync();

        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'"), Is.EqualTo(40));
        await AssertReceivedEverythingInOrderAsync();
    }

    [Test]
    public async Task AWebhookFailingForThreeDays_IsDisabled_DeliversNothingMore_AndRedeliveryBringsEverything()
    {
        var webhook = await CreateWebhookAsync();
        await app.ImportAsync("velbert", "bookings", new[] { Booking("D1", "mitte", "geburt", "08:00", phone: null), Booking("D2", "mitte", "geburt", "09:00", phone: null) });
        await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        await receiver.AnswerAsync(503);

        await Dispatcher.DeliverDueAsync();
        app.Clock.Advance(TimeSpan.FromDays(3));
        await Dispatcher.DeliverDueAsync();
        Assert.That(await Dispatcher.DeliverDueAsync(), Is.Zero);

        var listed = (await app.Admin().GetFromJsonAsync<JsonElement>("/api/tenants/velbert/webhooks"))[0];
        Assert.That(listed.GetProperty("status").GetString(), Is.EqualTo("disabled"));
        Assert.That(listed.GetProperty("disabledAt").GetString(), Is.EqualTo("2021-05-09T06:00:00+02:00"));
        await receiver.AnswerAsync(204);
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.That(await Dispatcher.DeliverDueAsync(), Is.Zero, "a disabled webhook gets nothing");

        var firstChange = (await FeedAsync())[0].GetProperty("id").GetString();
        var redeliver = await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/webhooks/{webhook}/redeliver", new { changeId = firstChange, andAfter = true });
        Assert.That(redeliver.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await redeliver.Content.ReadAsStringAsync());
        Assert.That((await redeliver.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queued").GetInt32(), Is.EqualTo(2));
        await DeliverAllAsync();

        Assert.That((await app.Admin().GetFromJsonAsync<JsonElement>("/api/tenants/velbert/webhooks"))[0].GetProperty("status").GetString(), Is.EqualTo("active"));
        await AssertReceivedEverythingInOrderAsync();
    }

    [Test]
    public async Task RedeliveringOneDeliveredChange_SendsItAgainWithTheSameId()
    {
        var webhook = await CreateWebhookAsync();
        await app.ImportAsync("velbert", "bookings", new[] { Booking("R1", "mitte", "geburt", "08:00", phone: null), Booking("R2", "mitte", "geburt", "09:00", phone: null) });
        await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        await DeliverAllAsync();
        var second = (await FeedAsync())[1].GetProperty("id").GetString();

        var redeliver = await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/webhooks/{webhook}/redeliver", new { changeId = second, andAfter = false });
        Assert.That((await redeliver.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queued").GetInt32(), Is.EqualTo(1));
        await DeliverAllAsync();

        Assert.That(receiver.Log().Select(r => r.Id), Is.EquivalentTo(new[] { (await FeedAsync())[0].GetProperty("id").GetString(), second, second }));
        await AssertReceivedEverythingInOrderAsync();
    }

    [Test]
    public async Task RedeliveringAChangeWhileItIsOnTheWire_LeavesItToTheWorkerSendingIt_AndSendsItAgainOnlyIfThatWorkerDies()
    {
        var webhook = await CreateWebhookAsync();
        await app.ImportAsync("velbert", "bookings", new[] { Booking("W1", "mitte", "geburt", "08:00", phone: null) });
        await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        await DeliverAllAsync();
        var change = (await FeedAsync())[0].GetProperty("id").GetString();
        Assert.That(receiver.Log(), Has.Count.EqualTo(1));

        // Another worker has just claimed the delivery and is sending it (its lease runs for the configured 30 s).
        var leaseUntil = app.Clock.GetUtcNow() + TimeSpan.FromSeconds(30);
        await using (var connection = await app.Db.OpenAsync())
            await connection.ExecuteAsync("UPDATE webhook_deliveries SET lease_owner = 'worker-b/1', lease_until = @LeaseUntil", new { LeaseUntil = leaseUntil });

        var redeliver = await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/webhooks/{webhook}/redeliver", new { changeId = change, andAfter = false });
        Assert.That((await redeliver.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queued").GetInt32(), Is.EqualTo(1));
        Assert.That(await app.ScalarAsync<string>("SELECT lease_owner FROM webhook_deliveries"), Is.EqualTo("worker-b/1"), "the live lease is kept");
        Assert.That(await Dispatcher.DeliverDueAsync(), Is.Zero, "no second worker sends it beside the first");
        Assert.That(receiver.Log(), Has.Count.EqualTo(1));

        // That worker dies without recording anything: once its lease has run out, the redelivery goes out, once.
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await DeliverAllAsync();
        Assert.That(receiver.Log().Select(r => r.Id), Is.EqualTo(new[] { change, change }));
    }

    [Test]
    public async Task ADeliveryThatFailsWhileAnotherToTheSameWebhookSucceeds_WaitsForItsBackoff_InsteadOfGoingAgainInTheSameRun()
    {
        await CreateWebhookAsync();
        await app.ImportAsync("velbert", "bookings", new[] { Booking("G1", "mitte", "geburt", "08:00", phone: null), Booking("B1", "mitte", "geburt", "09:00", phone: null) });
        await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        await receiver.AnswerAsync(204, exceptRef: "B1", exceptStatus: 500);

        await Dispatcher.DeliverDueAsync();

        int Arrivals(string reference) => receiver.Log().Count(r => r.Change.GetProperty("bookingRef").GetString() == reference);
        Task<T> Delivery<T>(string column, string reference) => app.ScalarAsync<T>(
            $"SELECT d.{column} FROM webhook_deliveries d JOIN booking_changes c ON c.id = d.change_id WHERE c.booking_ref = @Ref", new { Ref = reference });
        Assert.That(await Delivery<string>("status", "G1"), Is.EqualTo("delivered"));
        Assert.That(Arrivals("B1"), Is.EqualTo(1), "the failed delivery was tried once in this run, not again because G1 got through");
        Assert.That(await Delivery<int>("attempts", "B1"), Is.EqualTo(1));
        Assert.That(await Delivery<DateTimeOffset>("next_attempt_at", "B1"), Is.EqualTo(app.Clock.GetUtcNow() + WebhookDispatcher.RetryDelay(1)), "its own backoff");
        Assert.That(await Dispatcher.DeliverDueAsync(), Is.Zero, "nothing is due before the backoff");

        app.Clock.Advance(WebhookDispatcher.RetryDelay(1));
        await receiver.AnswerAsync(204);
        await Dispatcher.DeliverDueAsync();
        Assert.That(await Delivery<string>("status", "B1"), Is.EqualTo("delivered"));
        Assert.That(Arrivals("B1"), Is.EqualTo(2));
        await AssertReceivedEverythingInOrderAsync();
    }

    [Test]
    public async Task ARedirect_IsNotFollowed_AndCountsAsAFailure()
    {
        await using var elsewhere = await WebhookReceiver.StartAsync();
        var webhook = await CreateWebhookAsync();
        elsewhere.UseSecret("whsec_AAAA");
        await receiver.AnswerAsync(307, location: elsewhere.Url);
        await app.ImportAsync("velbert", "bookings", new[] { Booking("X1", "mitte", "geburt", "08:00", phone: null) });
        await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();

        await Dispatcher.DeliverDueAsync();

        var delivery = (await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/velbert/webhooks/{webhook}/deliveries"))[0];
        Assert.That(delivery.GetProperty("status").GetString(), Is.EqualTo("pending"));
        Assert.That(delivery.GetProperty("lastStatusCode").GetInt32(), Is.EqualTo(307));
        Assert.That(elsewhere.Log(), Is.Empty, "the redirect target never heard of it");
    }

    [Test]
    public async Task AnAddressAllowedWhenCreated_IsCheckedAgainAtConnection_AndRefusedWithoutTheLoopbackAllowance()
    {
        await CreateWebhookAsync();
        await app.ImportAsync("velbert", "bookings", new[] { Booking("S1", "mitte", "geburt", "08:00", phone: null) });
        await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        var strict = new WebhookOptions { Timeout = TimeSpan.FromSeconds(1), Lease = TimeSpan.FromSeconds(5) };
        using var dispatcher = new WebhookDispatcher(app.Db, app.Clock, Options.Create(strict), new WebhookAddressPolicy(strict),
            new WorkerIdentity("strict"), NullLogger<WebhookDispatcher>.Instance);

        Assert.That(await dispatcher.DeliverDueAsync(), Is.EqualTo(1));

        Assert.That(receiver.Log(), Is.Empty);
        Assert.That(await app.ScalarAsync<string>("SELECT last_error FROM webhook_deliveries"), Does.StartWith("refused"));
    }

    [Test]
    public async Task AWorkerKilledWhileDelivering_LosesNothing_AndAnotherDeliversTheRest()
    {
        await CreateWebhookAsync();
        await receiver.AnswerAsync(204, delaySeconds: 0.02);
        await app.ImportAsync("velbert", "bookings", Enumerable.Range(0, 400)
            .Select(i => Booking($"K{i:000}", "mitte", "geburt", SixSecondsApart("07:00", i), phone: null)).ToArray());
        await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();

        var environment = app.WorkerEnvironment(TimeSpan.FromSeconds(2));
        environment["Webhooks__AllowLoopback"] = "true";
        // Long enough that a loaded machine does not turn answers into timeouts (and retries with back-off); the
        // lease outlasts a round of timeouts, as start-up validation demands.
        environment["Webhooks__Timeout"] = "00:00:03";
        environment["Webhooks__Lease"] = "00:00:18";
        environment["Webhooks__BatchSize"] = "20";
        environment["Webhooks__Concurrency"] = "4";
        var directory = Directory.CreateTempSubdirectory("rebooking-worker-").FullName;
        var first = AppProcess.Start("Rebooking.Worker", directory, environment);
        var killedAt = 0;
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                var delivered = await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'");
                if (delivered > 0 && delivered < 300) { first.Kill(); killedAt = delivered; break; }
                Assert.That(first.HasExited, Is.False, first.Output);
                await Task.Delay(10);
            }
        }
        finally
        {
            await first.DisposeAsync();
        }
        Assert.That(killedAt, Is.InRange(1, 299), "the worker was killed in the middle of the deliveries");

        await using var second = AppProcess.Start("Rebooking.Worker", directory, environment);
        var until = DateTime.UtcNow.AddSeconds(150);
        while (DateTime.UtcNow < until && await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'") < 400)
        {
            Assert.That(second.HasExited, Is.False, second.Output);
            await Task.Delay(200);
        }

        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'delivered'"), Is.EqualTo(400), second.Output);
        await AssertReceivedEverythingInOrderAsync();
        try { Directory.Delete(directory, true); } catch (IOException) { }
    }
}
