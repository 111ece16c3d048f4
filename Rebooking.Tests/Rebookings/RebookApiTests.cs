using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Rebookings;

public sealed class RebookApiTests
{
    RebookingApp app = null!;
    Guid outage;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync(settings: new Dictionary<string, string?> { ["Rebooking:RequestsPerMinutePerClient"] = "0" },
            now: DateTimeOffset.Parse("2021-05-06T07:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        object Slot(string office, string? service, string start, int capacity = 1, Guid? reservedFor = null) => new
        {
            officeId = office, serviceId = service, start = Full(start), end = DateTimeOffset.Parse(Full(start)).AddMinutes(15).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            capacity, reservedForOutage = reservedFor,
        };
        await app.ImportAsync("velbert", "slots", new[]
        {
            Slot("mitte", null, "09:00"), Slot("mitte", null, "10:00"),
            Slot("mitte", null, "12:00"), Slot("mitte", "trauung", "12:30"), Slot("mitte", null, "12:45", capacity: 3),
            Slot("neviges", "geburt", "12:00"), Slot("mitte", null, "2021-05-30T09:00:00+02:00"),
        });
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("A", "mitte", "geburt", "09:00", phone: "0171 1000001"),
            Booking("B", "mitte", "geburt", "10:00", phone: "0171 1000002"),
            Booking("FULL", "mitte", "personalausweis", "12:00", phone: null),
        });
        outage = await app.DeclareAsync("velbert", Declare("07:00", "12:00", offices: ["mitte"]));
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    /// <summary>The personal link each citizen got, from the development outbox, by phone number.</summary>
    async Task<string> TokenFor(string phone)
    {
        var outbox = await app.Admin().GetFromJsonAsync<JsonElement>("/api/dev/outbox");
        var body = outbox.EnumerateArray().Last(m => m.GetProperty("to").GetString() == phone).GetProperty("body").GetString()!;
        return Scenario.LinkToken(body);
    }

    [Test]
    public async Task View_ShowsTheCancelledAppointmentAndOffers_SameOfficeFirst_NeverInsideTheOutageOrFull()
    {
        var reserved = Guid.NewGuid();
        await app.ImportAsync("velbert", "slots", new[]
        {
            new { officeId = "mitte", serviceId = (string?)null, start = Full("17:00"), end = Full("17:15"), capacity = 5, reservedForOutage = (Guid?)outage },
            new { officeId = "mitte", serviceId = (string?)null, start = Full("17:30"), end = Full("17:45"), capacity = 5, reservedForOutage = (Guid?)reserved },
        });
        var token = await TokenFor("+491711000001");

        var view = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/rebook/{token}");

        Assert.That(view.GetProperty("state").GetString(), Is.EqualTo("open"));
        Assert.That(view.GetProperty("booking").GetProperty("ref").GetString(), Is.EqualTo("A"));
        Assert.That(view.GetProperty("booking").GetProperty("start").GetString(), Is.EqualTo("2021-05-06T09:00:00+02:00"));
        Assert.That(view.GetProperty("publicMessage").GetString(), Does.Contain("technischen Störung"));
        var offers = view.GetProperty("offers").EnumerateArray().Select(o => $"{o.GetProperty("officeId").GetString()} {o.GetProperty("start").GetString()![11..16]}").ToList();
        // mitte 09:00/10:00 lie inside the outage, 12:00 is held by FULL, 12:30 is for weddings, 17:30 is
        // reserved for another outage, 30 May is beyond the horizon; neviges comes after the own office.
        Assert.That(offers, Is.EqualTo(new[] { "mitte 12:45", "mitte 17:00", "neviges 12:00" }));
    }

    [Test]
    public async Task View_CapsOffersPerOffice()
    {
        await app.ImportAsync("velbert", "slots", Enumerable.Range(0, 10).Select(i => new
        {
            officeId = "mitte", serviceId = (string?)null, capacity = 1,
            start = DateTimeOffset.Parse(Full("14:00")).AddMinutes(15 * i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            end = DateTimeOffset.Parse(Full("14:15")).AddMinutes(15 * i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
        }).ToArray());
        var view = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/rebook/{await TokenFor("+491711000001")}");
        var offices = view.GetProperty("offers").EnumerateArray().Select(o => o.GetProperty("officeId").GetString()).ToList();
        Assert.That(offices.Count(o => o == "mitte"), Is.EqualTo(6));
        Assert.That(offices.Last(), Is.EqualTo("neviges"));
    }

    [Test]
    public async Task Book_TakesTheSlot_MarksRebooked_QueuesAConfirmation_AndTheLinkThenShowsTheNewAppointment()
    {
        var token = await TokenFor("+491711000001");
        var view = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/rebook/{token}");
        var slotId = view.GetProperty("offers")[0].GetProperty("slotId").GetString();

        var response = await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var booked = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(booked.GetProperty("officeName").GetString(), Is.EqualTo("Servicebüro Mitte"));
        Assert.That(booked.GetProperty("start").GetString(), Is.EqualTo("2021-05-06T12:45:00+02:00"));
        Assert.That(await app.ScalarAsync<int>("SELECT booked FROM slots WHERE id = @Id", new { Id = long.Parse(slotId!) }), Is.EqualTo(1));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE kind = 'confirmation' AND status = 'queued'"), Is.EqualTo(1));
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("outcome").GetProperty("rebooked").GetInt32(), Is.EqualTo(1));

        var after = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/rebook/{token}");
        Assert.That(after.GetProperty("state").GetString(), Is.EqualTo("rebooked"));
        Assert.That(after.GetProperty("newBooking").GetProperty("bookingRef").GetString(), Does.StartWith("A-R"));
        // The link stays the citizen's handle: the other free slots are offered for a change, never the one held.
        Assert.That(after.GetProperty("canChange").GetBoolean(), Is.True);
        Assert.That(after.GetProperty("offers").EnumerateArray().Select(o => o.GetProperty("slotId").GetString()), Does.Not.Contain(slotId));
        var again = await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same slot again changes nothing");
        Assert.That(await app.ScalarAsync<int>("SELECT booked FROM slots WHERE id = @Id", new { Id = long.Parse(slotId!) }), Is.EqualTo(1));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE kind = 'confirmation'"), Is.EqualTo(1));

        // The confirmation goes out with a calendar-ready text and a link that shows the new appointment.
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var outbox = await app.Admin().GetFromJsonAsync<JsonElement>("/api/dev/outbox");
        Assert.That(outbox[0].GetProperty("body").GetString(), Does.Contain("Ihr neuer Termin ist am Do 06.05. um 12:45 Uhr"));
    }

    [Test]
    public async Task Book_AFullOrForeignSlot_Is409WithFreshOffers_AndBadSlotIdIs400()
    {
        var token = await TokenFor("+491711000001");
        var full = await app.ScalarAsync<long>("SELECT id FROM slots WHERE start_utc = @At AND service_id IS NULL", new { At = DateTimeOffset.Parse(Full("12:00")) });
        var response = await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId = full.ToString() });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("offers").GetArrayLength(), Is.GreaterThan(0));

        var bad = await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId = "x" });
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await app.ScalarAsync<string>("SELECT outcome FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id WHERE b.external_ref = 'A'"), Is.EqualTo("open"));
    }

    [Test]
    public async Task Tokens_UnknownTamperedExpired_AndReadsChangeNothing()
    {
        var token = await TokenFor("+491711000001");
        var tampered = (token[0] == 'A' ? 'B' : 'A') + token[1..];
        Assert.That((await app.Anonymous().GetAsync($"/api/rebook/{tampered}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await app.Anonymous().GetAsync("/api/rebook/short")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await app.Anonymous().PostAsJsonAsync($"/api/rebook/{tampered}", new { slotId = "1" })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        for (var i = 0; i < 3; i++) await app.Anonymous().GetAsync($"/api/rebook/{token}");
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings WHERE outcome <> 'open'"), Is.Zero, "a GET never changes anything");

        app.Clock.Advance(TimeSpan.FromDays(22));
        var expired = await app.Anonymous().GetAsync($"/api/rebook/{token}");
        Assert.That(expired.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        var problem = await expired.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("phone").GetString(), Is.EqualTo("02051 26-0"));
        Assert.That(problem.GetProperty("web").GetString(), Is.EqualTo("https://www.velbert.de"));
        Assert.That((await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId = "1" })).StatusCode, Is.EqualTo(HttpStatusCode.Gone));
    }

    [Test]
    public async Task Decline_RecordsIt_AndNoBookingFollows()
    {
        var token = await TokenFor("+491711000002");
        var response = await app.Anonymous().PostAsync($"/api/rebook/{token}/decline", null);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString(), Is.EqualTo("declined"));
        Assert.That((await app.Anonymous().PostAsync($"/api/rebook/{token}/decline", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "declining twice is harmless");
        var slot = await app.ScalarAsync<long>("SELECT id FROM slots WHERE start_utc = @At", new { At = DateTimeOffset.Parse(Full("12:45")) });
        Assert.That((await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId = slot.ToString() })).StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("outcome").GetProperty("declined").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task Reinstated_TheLinkSaysTheOriginalAppointmentIsValidAgain()
    {
        var token = await TokenFor("+491711000002");
        var resolve = await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{outage}/resolve", new { at = Full("09:30") });
        Assert.That(resolve.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await app.ProcessAsync();
        var view = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/rebook/{token}");
        Assert.That(view.GetProperty("state").GetString(), Is.EqualTo("reinstated"));
        Assert.That(view.GetProperty("offers").GetArrayLength(), Is.Zero);
    }
}
