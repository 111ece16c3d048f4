using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Rebookings;

/// <summary>
/// After rebooking, the link stays the citizen's handle: choose another time (one transaction, never two
/// appointments or none, capacity guarded) or cancel, until the cutoff before the appointment; the public
/// message in the citizen's language.
/// </summary>
public sealed class ChangeRebookingTests
{
    RebookingApp app = null!;
    Guid outage;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync(settings: new Dictionary<string, string?> { ["Rebooking:RequestsPerMinutePerClient"] = "0" },
            now: DateTimeOffset.Parse("2021-05-06T07:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        object Slot(string start, int capacity = 1) => new
        {
            officeId = "mitte", serviceId = (string?)null, start = Full(start),
            end = DateTimeOffset.Parse(Full(start)).AddMinutes(15).ToString("yyyy-MM-dd'T'HH:mm:sszzz"), capacity,
        };
        await app.ImportAsync("velbert", "slots", new[] { Slot("13:00"), Slot("13:15"), Slot("13:30"), Slot("14:00"), Slot("16:00", capacity: 0) });
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Citizen("A", "09:00", "0171 1000001", "de"), Citizen("T", "09:15", "0171 1000002", "tr"), Citizen("E", "09:30", "0171 1000003", "en"),
        });
        var declare = await app.Admin().PostAsJsonAsync("/api/tenants/velbert/outages", new
        {
            start = Full("07:00"), end = Full("12:00"), reason = "Ausfall im Rechenzentrum",
            publicMessage = "Wegen einer technischen Störung kann Ihr Termin nicht stattfinden.",
            publicMessages = new Dictionary<string, string> { ["tr"] = "Teknik bir arıza nedeniyle randevunuz yapılamıyor." },
        });
        Assert.That(declare.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await declare.Content.ReadAsStringAsync());
        outage = (await declare.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    static object Citizen(string reference, string start, string phone, string language) => new
    {
        externalRef = reference, officeId = "mitte", serviceId = "geburt", start = Full(start),
        end = DateTimeOffset.Parse(Full(start)).AddMinutes(15).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
        name = "Bürger " + reference, phone, email = (string?)null, language,
    };

    async Task<JsonElement> OutboxAsync() => await app.Admin().GetFromJsonAsync<JsonElement>("/api/dev/outbox");

    /// <summary>The link of the cancellation (the outbox lists newest first, so the citizen's oldest message).</summary>
    async Task<string> TokenFor(string phone) =>
        LinkToken((await OutboxAsync()).EnumerateArray().Last(m => m.GetProperty("to").GetString() == phone).GetProperty("body").GetString()!);

    Task<long> SlotAt(string start) => app.ScalarAsync<long>("SELECT id FROM slots WHERE start_utc = @At", new { At = DateTimeOffset.Parse(Full(start)) });

    Task<int> BookedAt(string start) => app.ScalarAsync<int>("SELECT booked FROM slots WHERE start_utc = @At", new { At = DateTimeOffset.Parse(Full(start)) });

    /// <summary>The appointments the citizen of <paramref name="reference"/> holds from rebooking (active bookings).</summary>
    Task<int> AppointmentsOf(string reference) => app.ScalarAsync<int>(
        "SELECT COUNT(*) FROM bookings WHERE origin = 'rebooking' AND status = 'booked' AND external_ref LIKE @Prefix", new { Prefix = reference + "-R%" });

    async Task<HttpResponseMessage> BookAsync(string token, string start, int? version = null) =>
        await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId = (await SlotAt(start)).ToString(), version });

    [Test]
    public async Task ChoosingAnotherTime_MovesTheAppointment_FreesTheOldSlot_AndTellsTheCitizenOnceMore()
    {
        var token = await TokenFor("+491711000001");
        Assert.That((await BookAsync(token, "13:00")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var reference = await app.ScalarAsync<string>("SELECT external_ref FROM bookings WHERE origin = 'rebooking'");

        var changed = await BookAsync(token, "13:30");

        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await changed.Content.ReadAsStringAsync());
        var appointment = await changed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(appointment.GetProperty("start").GetString(), Is.EqualTo("2021-05-06T13:30:00+02:00"));
        Assert.That(appointment.GetProperty("bookingRef").GetString(), Is.EqualTo(reference), "the same booking, moved");
        Assert.That(await BookedAt("13:00"), Is.Zero, "the old slot is free again");
        Assert.That(await BookedAt("13:30"), Is.EqualTo(1));
        Assert.That(await AppointmentsOf("A"), Is.EqualTo(1));
        Assert.That(await app.ScalarAsync<int>("SELECT revision FROM bookings WHERE origin = 'rebooking'"), Is.EqualTo(1));
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("outcome").GetProperty("rebooked").GetInt32(), Is.EqualTo(1));

        // The first confirmation had not gone out yet: it is withdrawn, and one confirmation tells the latest time.
        var before = (await OutboxAsync()).GetArrayLength();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var outbox = await OutboxAsync(); // newest first
        var sent = outbox.EnumerateArray().Take(outbox.GetArrayLength() - before).Select(m => m.GetProperty("body").GetString()!).ToList();
        Assert.That(sent, Has.Count.EqualTo(1));
        Assert.That(sent[0], Does.Contain("Ihr neuer Termin ist am Do 06.05. um 13:30 Uhr"));

        // A second change after that confirmation went out: told again, under a key of its own.
        Assert.That((await BookAsync(token, "14:00")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        Assert.That((await OutboxAsync()).EnumerateArray().First().GetProperty("body").GetString(), Does.Contain("14:00 Uhr"));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE kind = 'confirmation' AND status <> 'withdrawn'"), Is.EqualTo(2));
        Assert.That(await BookedAt("13:30"), Is.Zero);
        Assert.That(await BookedAt("14:00"), Is.EqualTo(1));
    }

    [Test]
    public async Task ChoosingAFullSlot_Is409_AndTheCitizenKeepsTheirAppointment()
    {
        var token = await TokenFor("+491711000001");
        await BookAsync(token, "13:00");
        var other = await TokenFor("+491711000003");
        Assert.That((await BookAsync(other, "13:15")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var full = await BookAsync(token, "13:15");
        var zero = await BookAsync(token, "16:00");

        Assert.That(full.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(zero.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(await BookedAt("13:00"), Is.EqualTo(1), "the appointment is kept");
        Assert.That(await BookedAt("13:15"), Is.EqualTo(1), "never beyond capacity");
        Assert.That(await AppointmentsOf("A"), Is.EqualTo(1));
        Assert.That(await app.ScalarAsync<int>("SELECT revision FROM bookings WHERE external_ref LIKE 'A-R%'"), Is.Zero);
    }

    [Test]
    public async Task AfterTheCutoff_ChangeAndCancelAre410_AndNothingChanges()
    {
        var token = await TokenFor("+491711000001");
        await BookAsync(token, "13:00");
        app.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1)); // 11:01, less than 2 hours before 13:00

        var view = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/rebook/{token}");
        var change = await BookAsync(token, "13:30");
        var cancel = await app.Anonymous().PostAsync($"/api/rebook/{token}/decline", null);

        Assert.That(view.GetProperty("canChange").GetBoolean(), Is.False);
        Assert.That(view.GetProperty("offers").GetArrayLength(), Is.Zero);
        Assert.That(change.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        var problem = await change.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("phone").GetString(), Is.EqualTo("02051 26-0"), "the office can still help");
        Assert.That(await BookedAt("13:00"), Is.EqualTo(1));
        Assert.That(await BookedAt("13:30"), Is.Zero);
        Assert.That(await app.ScalarAsync<string>("SELECT outcome FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id WHERE b.external_ref = 'A'"), Is.EqualTo("rebooked"));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE kind = 'confirmation'"), Is.EqualTo(1));
    }

    [Test]
    public async Task Cancelling_FreesTheSlot_AndTheOutcomeBecomesDeclined()
    {
        var token = await TokenFor("+491711000001");
        await BookAsync(token, "13:00");

        var cancel = await app.Anonymous().PostAsync($"/api/rebook/{token}/decline", null);

        Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.OK), await cancel.Content.ReadAsStringAsync());
        Assert.That((await cancel.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString(), Is.EqualTo("declined"));
        Assert.That(await BookedAt("13:00"), Is.Zero);
        Assert.That(await AppointmentsOf("A"), Is.Zero);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE kind = 'confirmation' AND status = 'queued'"), Is.Zero,
            "the unsent confirmation of a cancelled appointment is withdrawn");
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("outcome").GetProperty("declined").GetInt32(), Is.EqualTo(1));
        Assert.That(stats.GetProperty("outcome").GetProperty("rebooked").GetInt32(), Is.Zero);
        Assert.That((await BookAsync(token, "13:00")).StatusCode, Is.EqualTo(HttpStatusCode.Conflict), "a declined link books nothing");
    }

    [Test]
    public async Task TwoTabs_ChooseDifferentSlotsAtOnce_ExactlyOneWins_AndTheCitizenHoldsOneAppointment()
    {
        var token = await TokenFor("+491711000001");
        await BookAsync(token, "13:00");
        var version = (await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/rebook/{token}")).GetProperty("version").GetInt32();

        var answers = await Task.WhenAll(BookAsync(token, "13:15", version), BookAsync(token, "13:30", version));

        var codes = answers.Select(a => a.StatusCode).OrderBy(c => c).ToList();
        Assert.That(codes, Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var winner = answers[0].StatusCode == HttpStatusCode.OK ? "13:15" : "13:30";
        var loser = winner == "13:15" ? "13:30" : "13:15";
        Assert.That(await BookedAt(winner), Is.EqualTo(1));
        Assert.That(await BookedAt(loser), Is.Zero);
        Assert.That(await BookedAt("13:00"), Is.Zero);
        Assert.That(await AppointmentsOf("A"), Is.EqualTo(1));
        var start = await app.ScalarAsync<DateTimeOffset>("SELECT start_utc FROM bookings WHERE external_ref LIKE 'A-R%'");
        Assert.That(start, Is.EqualTo(DateTimeOffset.Parse(Full(winner))));
        await app.StatsAsync("velbert", outage);
    }

    [Test]
    public async Task TheCitizen_GetsThePublicMessageInTheirLanguage_ElseTheGermanOne()
    {
        var messages = (await OutboxAsync()).EnumerateArray().ToDictionary(m => m.GetProperty("to").GetString()!, m => m.GetProperty("body").GetString()!);
        Assert.That(messages["+491711000002"], Does.Contain("Teknik bir arıza nedeniyle randevunuz yapılamıyor."));
        Assert.That(messages["+491711000001"], Does.Contain("Wegen einer technischen Störung"));
        Assert.That(messages["+491711000003"], Does.Contain("Wegen einer technischen Störung").And.Contain("Choose a new one"),
            "no English translation given: the German sentence inside the English text");
        var turkish = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/rebook/{await TokenFor("+491711000002")}");
        Assert.That(turkish.GetProperty("publicMessage").GetString(), Is.EqualTo("Teknik bir arıza nedeniyle randevunuz yapılamıyor."));
        Assert.That(turkish.GetProperty("publicMessageLanguage").GetString(), Is.EqualTo("tr"));
    }

    [TestCase("de", "publicMessages.de")]
    [TestCase("xx", "publicMessages.xx")]
    public async Task ATranslationInAnUnknownLanguage_Is400NamingTheField_AndNothingIsStored(string language, string field)
    {
        var before = await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages");
        var response = await app.Admin().PostAsJsonAsync("/api/tenants/velbert/outages", new
        {
            start = Full("15:00"), end = Full("16:00"), reason = "x", publicMessage = "Störung.",
            publicMessages = new Dictionary<string, string> { [language] = "Text" },
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), Does.Contain(field));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages"), Is.EqualTo(before));
    }

    [Test]
    public async Task ATooLongTranslation_Is400()
    {
        var response = await app.Admin().PostAsJsonAsync("/api/tenants/velbert/outages", new
        {
            start = Full("15:00"), end = Full("16:00"), reason = "x", publicMessage = "Störung.",
            publicMessages = new Dictionary<string, string> { ["ar"] = new string('ع', 301) },
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name),
            Does.Contain("publicMessages.ar"));
    }
}
