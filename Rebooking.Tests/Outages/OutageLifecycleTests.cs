using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Outages;

public sealed class OutageLifecycleTests
{
    RebookingApp app = null!;

    [SetUp]
    public async Task Start()
    {
        // 2021-05-06 09:30 in Velbert.
        app = await RebookingApp.StartAsync(now: DateTimeOffset.Parse("2021-05-06T09:30:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "slots", Enumerable.Range(0, 40).Select(i => new
        {
            officeId = "mitte", serviceId = (string?)null, capacity = 2,
            start = DateTimeOffset.Parse(Full("08:00")).AddMinutes(15 * i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            end = DateTimeOffset.Parse(Full("08:15")).AddMinutes(15 * i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
        }).ToArray());
        // One booking each hour 08:00 .. 17:00, two of them without any contact.
        await app.ImportAsync("velbert", "bookings", Enumerable.Range(8, 10)
            .Select(h => Booking($"B{h:00}", "mitte", "geburt", $"{h:00}:00", phone: h is 9 or 15 ? null : "0171 2345678")).ToArray());
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    async Task<JsonElement> Patch(Guid outage, object body)
    {
        var response = await app.Admin().PatchAsJsonAsync($"/api/tenants/velbert/outages/{outage}", body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    Task<int> SlotBooked(string time) => app.ScalarAsync<int>("SELECT booked FROM slots WHERE start_utc = @At", new { At = DateTimeOffset.Parse(Full(time)) });

    Task<string> BookingStatus(string reference) => app.ScalarAsync<string>("SELECT status FROM bookings WHERE external_ref = @R", new { R = reference });

    /// <summary>Marks the cancellations of these bookings as accepted by the provider, as the dispatcher would.</summary>
    async Task MarkTold(params string[] references)
    {
        await using var connection = await app.Db.OpenAsync();
        await connection.ExecuteAsync("""
            UPDATE notifications SET status = 'accepted' WHERE affected_id IN
              (SELECT a.id FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id WHERE b.external_ref IN @Refs);
            UPDATE affected_bookings SET contact = 'notified' WHERE booking_id IN (SELECT id FROM bookings WHERE external_ref IN @Refs);
            """, new { Refs = references });
    }

    [Test]
    public async Task Declare_Process_CancelsReleasesCapacityAndQueuesOneCancellationPerReachableCitizen()
    {
        var outage = await app.DeclareAsync("velbert", Declare("08:00", "12:00"));
        var accepted = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/velbert/outages/{outage}");
        Assert.That(accepted.GetProperty("status").GetString(), Is.EqualTo("accepted"));
        Assert.That(accepted.GetProperty("stats").GetProperty("processingComplete").GetBoolean(), Is.False);

        await app.ProcessAsync();

        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("affected").GetInt32(), Is.EqualTo(4));
        Assert.That(stats.GetProperty("contact").GetProperty("unreachable").GetInt32(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("contact").GetProperty("pending").GetInt32(), Is.EqualTo(3));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE kind = 'cancellation' AND status = 'queued'"), Is.EqualTo(3));
        Assert.That(await SlotBooked("08:00"), Is.Zero, "a cancelled booking gives its slot capacity back");
        Assert.That(await SlotBooked("12:00"), Is.EqualTo(1));
        var active = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/velbert/outages/{outage}");
        Assert.That(active.GetProperty("status").GetString(), Is.EqualTo("active"));
    }

    [Test]
    public async Task ProcessingTwice_ChangesNothingTheSecondTime()
    {
        var outage = await app.DeclareAsync("velbert", Declare("08:00", "18:00"));
        await app.ProcessAsync();
        var before = (await app.StatsAsync("velbert", outage)).ToString();

        // Force a second pass over the same definition, as a recovered job would.
        await app.ScalarAsync<int>("UPDATE outages SET desired_version = desired_version + 1");
        Assert.That(await app.ProcessAsync(), Is.EqualTo(1));

        Assert.That((await app.StatsAsync("velbert", outage)).ToString(), Is.EqualTo(before));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings"), Is.EqualTo(10));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications"), Is.EqualTo(8));
    }

    [Test]
    public async Task Extend_ProcessesTheNewlyCoveredBookingsLikeTheFirst()
    {
        var outage = await app.DeclareAsync("velbert", Declare("08:00", "12:00"));
        await app.ProcessAsync();
        var patched = await Patch(outage, new { end = Full("16:00") });
        Assert.That(patched.GetProperty("stats").GetProperty("processingComplete").GetBoolean(), Is.False);
        await app.ProcessAsync();

        Assert.That(await app.AffectedRefsAsync(outage), Is.EqualTo(new[] { "B08", "B09", "B10", "B11", "B12", "B13", "B14", "B15" }));
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("contact").GetProperty("unreachable").GetInt32(), Is.EqualTo(2));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications"), Is.EqualTo(6));
    }

    [Test]
    public async Task Shorten_ReinstatesBookingsPastTheNewEnd_ToldCitizensHearSoUntoldOnesAreNoLongerAffected()
    {
        var outage = await app.DeclareAsync("velbert", Declare("08:00", "18:00"));
        await app.ProcessAsync();
        await MarkTold("B08", "B10", "B14");

        await Patch(outage, new { end = Full("12:00") });
        await app.ProcessAsync();

        var stats = await app.StatsAsync("velbert", outage);
        // Kept: B08-B11 (before the new end); B14 was told, so it is reinstated. B12, B13, B15-B17 were never told.
        Assert.That(stats.GetProperty("affected").GetInt32(), Is.EqualTo(5));
        Assert.That(stats.GetProperty("outcome").GetProperty("reinstated").GetInt32(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("outcome").GetProperty("open").GetInt32(), Is.EqualTo(4));
        Assert.That(await BookingStatus("B14"), Is.EqualTo("booked"));
        Assert.That(await BookingStatus("B13"), Is.EqualTo("booked"));
        Assert.That(await BookingStatus("B10"), Is.EqualTo("cancelled"));
        Assert.That(await SlotBooked("14:00"), Is.EqualTo(1), "capacity is taken again");
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE kind = 'reinstatement'"), Is.EqualTo(1));
        Assert.That(await app.ScalarAsync<string>("SELECT b.external_ref FROM notifications n JOIN bookings b ON b.id = n.booking_id WHERE n.kind = 'reinstatement'"), Is.EqualTo("B14"));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE kind = 'cancellation'"), Is.EqualTo(4), "untold cancellations past the end are gone");
    }

    [Test]
    public async Task Resolve_AtAGivenTime_EndsTheOutageAndReinstatesFromThen_Mettmann()
    {
        var outage = await app.DeclareAsync("velbert", Declare("08:00", "18:00"));
        await app.ProcessAsync();
        await MarkTold("B12", "B16");

        var response = await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{outage}/resolve", new { at = Full("11:00") });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var resolved = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(resolved.GetProperty("status").GetString(), Is.EqualTo("resolved"));
        Assert.That(resolved.GetProperty("end").GetString(), Is.EqualTo("2021-05-06T11:00:00+02:00"));
        await app.ProcessAsync();

        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("outcome").GetProperty("reinstated").GetInt32(), Is.EqualTo(2));
        Assert.That(stats.GetProperty("affected").GetInt32(), Is.EqualTo(5), "B08-B10 still cancelled, B12 and B16 reinstated");
        Assert.That(stats.GetProperty("processingComplete").GetBoolean(), Is.True);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE status = 'booked'"), Is.EqualTo(7));

        var again = await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{outage}/resolve", new { });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var patch = await app.Admin().PatchAsJsonAsync($"/api/tenants/velbert/outages/{outage}", new { end = Full("19:00") });
        Assert.That(patch.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
    }

    [Test]
    public async Task Resolve_WithoutBody_EndsNow()
    {
        var outage = await app.DeclareAsync("velbert", Declare("08:00", "18:00"));
        await app.ProcessAsync();
        var response = await app.Admin().PostAsync($"/api/tenants/velbert/outages/{outage}/resolve", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        await app.ProcessAsync();
        // 09:30 now: B08 and B09 stay cancelled, everything from B10 on was untold and is simply booked again.
        Assert.That(await app.AffectedRefsAsync(outage), Is.EqualTo(new[] { "B08", "B09" }));
        await app.StatsAsync("velbert", outage);
    }

    [Test]
    public async Task OpenEnded_CoversTodayThenRollsIntoTomorrowAtTheRollTime_Guetersloh()
    {
        await app.ImportAsync("velbert", "bookings", new[] { Booking("tomorrow", "mitte", "geburt", "2021-05-07T08:00:00+02:00") });
        var outage = await app.DeclareAsync("velbert", Declare("08:00", null));
        await app.ProcessAsync();
        var body = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/velbert/outages/{outage}");
        Assert.That(body.GetProperty("end").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(body.GetProperty("coveredUntil").GetString(), Is.EqualTo("2021-05-07T00:00:00+02:00"));
        Assert.That(await app.AffectedRefsAsync(outage), Has.Count.EqualTo(10));

        var roller = app.Services.GetService(typeof(Rebooking.Outages.OutageRoller)) as Rebooking.Outages.OutageRoller;
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2021-05-06T15:59:00+02:00"));
        Assert.That(await roller!.RollAsync(), Is.Zero);
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2021-05-06T16:00:00+02:00"));
        Assert.That(await roller.RollAsync(), Is.EqualTo(1));
        Assert.That(await roller.RollAsync(), Is.Zero, "rolling is idempotent");
        await app.ProcessAsync();

        Assert.That(await app.AffectedRefsAsync(outage), Does.Contain("tomorrow"));
        await app.StatsAsync("velbert", outage);
    }

    [Test]
    public async Task AcceptedOutage_SurvivesTheApiGoingAway_AndAnyWorkerProcessesIt()
    {
        var outage = await app.DeclareAsync("velbert", Declare("08:00", "18:00"));
        var connectionString = app.Database.ConnectionString;
        // A different worker, knowing nothing of the Api process, finds the work in the database.
        var worker = new Rebooking.Outages.OutageProcessor(new Rebooking.Data.Db(Rebooking.Data.DatabaseProvider.Sqlite, connectionString), app.Clock,
            Microsoft.Extensions.Options.Options.Create(new Rebooking.Outages.OutageOptions()), new Rebooking.Outages.WorkerIdentity("elsewhere"),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Rebooking.Outages.OutageProcessor>.Instance);
        Assert.That(await worker.RunPendingAsync(), Is.EqualTo(1));
        Assert.That(await app.AffectedRefsAsync(outage), Has.Count.EqualTo(10));
    }

    [Test]
    public async Task TwoWorkersAtOnce_OnTheSameOutage_ProduceOneRowAndOneMessagePerBooking()
    {
        await app.ImportAsync("velbert", "bookings", Enumerable.Range(0, 600)
            .Select(i => Booking($"M{i:000}", i % 2 == 0 ? "mitte" : "neviges", "geburt",
                DateTimeOffset.Parse(Full("08:00")).AddSeconds(i * 50).ToString("yyyy-MM-dd'T'HH:mm:sszzz"))).ToArray());
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        var a = app.Processor("worker-a", batchSize: 7);
        var b = app.Processor("worker-b", batchSize: 7);

        // Both claim: b only gets it once a's lease looks expired, so they really overlap.
        var first = a.RunPendingAsync();
        await app.ScalarAsync<int>("UPDATE outages SET lease_until = '2000-01-01T00:00:00.0000000Z'");
        var second = b.RunPendingAsync();
        await Task.WhenAll(first, second);
        await app.ProcessAsync(); // whatever is left over from a lost lease

        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings"), Is.EqualTo(610));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(DISTINCT booking_id) FROM affected_bookings"), Is.EqualTo(610));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications"), Is.EqualTo(608));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(DISTINCT affected_id) FROM notifications"), Is.EqualTo(608));
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("processingComplete").GetBoolean(), Is.True);
    }

    [Test]
    public async Task CallList_ListsUnreachableCitizensWithTheirData_AsJsonAndCsv()
    {
        await app.ImportAsync("velbert", "bookings", new[] { Booking("LAND", "mitte", "sterbefall", "10:30", phone: "02051 26-0") });
        var outage = await app.DeclareAsync("velbert", Declare("08:00", "18:00"));
        await app.ProcessAsync();

        var json = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/velbert/outages/{outage}/unreachable");
        Assert.That(json.EnumerateArray().Select(r => r.GetProperty("bookingRef").GetString()), Is.EqualTo(new[] { "B09", "LAND", "B15" }));
        var landline = json[1];
        Assert.That(landline.GetProperty("phone").GetString(), Is.EqualTo("+492051260"));
        Assert.That(landline.GetProperty("start").GetString(), Is.EqualTo("2021-05-06T10:30:00+02:00"));
        Assert.That(landline.GetProperty("reason").GetString(), Is.EqualTo("no-contact"));
        Assert.That(landline.GetProperty("calls").GetInt32(), Is.Zero, "voice calls are off here");

        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/velbert/outages/{outage}/unreachable");
        request.Headers.Accept.ParseAdd("text/csv");
        var csv = await app.Admin().SendAsync(request);
        Assert.That(csv.Content.Headers.ContentType!.MediaType, Is.EqualTo("text/csv"));
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0], Is.EqualTo("bookingRef;name;phone;email;start;officeId;serviceId;reason;calls;lastCall;lastCallResult"));
        Assert.That(lines[2], Is.EqualTo("LAND;Bürger LAND;0049 2051260;;2021-05-06T10:30:00+02:00;mitte;sterbefall;no-contact;;;"), "no cell starts with +; never called: no call data");
        Assert.That(lines, Has.Length.EqualTo(4));
    }

    [Test]
    public async Task NotifyOff_QueuesNothingUntilSwitchedOn()
    {
        var outage = await app.DeclareAsync("velbert", Declare("08:00", "12:00", notify: false));
        await app.ProcessAsync();
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications"), Is.Zero);
        await Patch(outage, new { notify = true });
        await app.ProcessAsync();
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications"), Is.EqualTo(3));
        await app.StatsAsync("velbert", outage);
    }

    [Test]
    public async Task TenantStats_SumOverTheOutagesInTheRange()
    {
        var morning = await app.DeclareAsync("velbert", Declare("08:00", "10:00"));
        var afternoon = await app.DeclareAsync("velbert", Declare("14:00", "16:00"));
        await app.ProcessAsync();

        var all = await app.Admin().GetFromJsonAsync<JsonElement>("/api/tenants/velbert/stats");
        AssertInvariants(all);
        Assert.That(all.GetProperty("affected").GetInt32(), Is.EqualTo(4));
        var onlyAfternoon = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/velbert/stats?from={Uri.EscapeDataString(Full("12:00"))}");
        Assert.That(onlyAfternoon.GetProperty("affected").GetInt32(), Is.EqualTo(2));
        var bad = await app.Admin().GetAsync("/api/tenants/velbert/stats?from=2021-05-06T12:00:00");
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(morning, Is.Not.EqualTo(afternoon));
    }
}
