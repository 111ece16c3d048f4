using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Data;
using Rebooking.Notifications;
using Rebooking.Rebookings;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Integration;

/// <summary>
/// Every change to a booking writes exactly one change row, in the transaction of the change: for every path
/// that writes <c>bookings</c>, and with a failure injected after the booking write, which leaves neither.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed partial class ChangeRecordingTests(DatabaseProvider provider)
{
    RebookingApp app = null!;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync(provider, settings: new Dictionary<string, string?> { ["Rebooking:RequestsPerMinutePerClient"] = "0" },
            now: DateTimeOffset.Parse("2021-05-06T06:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "slots", new[]
        {
            new { officeId = "mitte", serviceId = (string?)null, start = Full("19:00"), end = Full("19:15"), capacity = 5 },
        });
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("A", "mitte", "geburt", "08:00", phone: "0171 1000001"),
            Booking("B", "mitte", "geburt", "09:00", phone: "0171 1000002"),
            Booking("C", "mitte", "geburt", "10:00", phone: "0171 1000003"),
            Booking("OTHER", "neviges", "geburt", "10:00", phone: "0171 1000004"),
        });
    }

    [TearDown]
    public async Task Stop() { if (app is not null) await app.DisposeAsync(); }

    /// <summary>
    /// Every SQL statement in Rebooking.Core that writes <c>bookings</c>, and why it does or does not need a change
    /// row. A statement added without an entry here fails this test: give its path a change row
    /// (<c>BookingChanges.RecordAsync</c>) and a test below, or say why the appointment system must not hear of it.
    /// </summary>
    static readonly Dictionary<string, string> BookingWriters = new()
    {
        ["OutageSql.CancelBatchBookings"] = "booking.cancelled — OutageProcessing_WritesOneCancelledChangePerBooking",
        ["OutageSql.RestoreBatchBookings"] = "booking.reinstated — Reinstatement_* tests",
        ["RebookingSql.InsertBooking"] = "booking.rebooked — the link and JSON API (CitizenRebooking.BookAsync) and the hotline",
        ["RebookingSql.MoveBooking"] = "booking.rebooked — changing a rebooked appointment through the link (ChangedAppointment_WritesOneRebookedChange)",
        ["RebookingSql.CancelBooking"] = "booking.declined — cancelling a rebooked appointment through the link (CancelledAppointment_WritesOneDeclinedChange)",
        ["BookingImportSql.Update"] = "exempt: the appointment system's own import",
        ["BookingImportSql.Insert"] = "exempt: the appointment system's own import",
        ["BookingSlots.Link"] = "exempt: links imported bookings to imported slots; the appointment is unchanged",
        ["RetentionSql.Clear"] = "exempt: removes personal data after retention; the appointment is unchanged",
        ["RetentionSql.AnonymiseAffected"] = "exempt: removes personal data after retention",
        ["RetentionSql.AnonymiseRebooked"] = "exempt: removes personal data after retention",
    };

    [Test]
    public void EveryStatementThatWritesBookings_IsAPathWithAChangeRow_OrNamedAsExempt()
    {
        var found = new SortedSet<string>();
        foreach (var type in typeof(Db).Assembly.GetTypes())
            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                var sql = field.IsLiteral && field.FieldType == typeof(string) ? (string?)field.GetRawConstantValue()
                    : field.FieldType == typeof(DialectSql) && field.GetValue(null) is DialectSql d ? d.Sqlite + "\n" + d.SqlServer
                    : null;
                if (sql is not null && WritesBookings().IsMatch(sql)) found.Add($"{type.Name}.{field.Name}");
            }
        Assert.That(found, Is.EquivalentTo(BookingWriters.Keys),
            "a statement that writes bookings was added or removed: record its change (BookingChanges) and list it here with its test");
    }

    [GeneratedRegex(@"\b(UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+(dbo\.)?bookings\b", RegexOptions.IgnoreCase)]
    private static partial Regex WritesBookings();

    sealed record ChangeRow
    {
        public string Type { get; init; } = "";
        public string BookingRef { get; init; } = "";
        public Guid? OutageId { get; init; }
        public string? NewBookingRef { get; init; }
        public string? NewOfficeId { get; init; }
        public string? NewServiceId { get; init; }
        public DateTimeOffset? NewStart { get; init; }
        public DateTimeOffset? NewEnd { get; init; }
    }

    async Task<List<ChangeRow>> ChangesAsync()
    {
        await using var connection = await app.Db.OpenAsync();
        return (await connection.QueryAsync<ChangeRow>("""
            SELECT type AS Type, booking_ref AS BookingRef, outage_id AS OutageId, new_booking_ref AS NewBookingRef, new_office_id AS NewOfficeId,
                   new_service_id AS NewServiceId, new_start_utc AS NewStart, new_end_utc AS NewEnd
            FROM booking_changes ORDER BY id
            """)).ToList();
    }

    async Task<Guid> CancelMitteAsync(bool notify = true)
    {
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00", offices: ["mitte"], notify: notify));
        await app.ProcessAsync();
        return outage;
    }

    async Task<string> TokenFor(string phone)
    {
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var outbox = await app.Admin().GetFromJsonAsync<JsonElement>("/api/dev/outbox");
        return LinkToken(outbox.EnumerateArray().Last(m => m.GetProperty("to").GetString() == phone).GetProperty("body").GetString()!);
    }

    [Test]
    public async Task OutageProcessing_WritesOneCancelledChangePerBooking_AndNoneWhenRunAgain()
    {
        var outage = await CancelMitteAsync();
        await app.ProcessAsync();

        var changes = await ChangesAsync();
        Assert.That(changes.Select(c => (c.Type, c.BookingRef, c.OutageId)), Is.EqualTo(new[]
        {
            ("booking.cancelled", "A", (Guid?)outage), ("booking.cancelled", "B", (Guid?)outage), ("booking.cancelled", "C", (Guid?)outage),
        }));
        Assert.That(changes.All(c => c.NewBookingRef is null), Is.True);
    }

    [Test]
    public async Task Reinstatement_OfToldCitizens_WritesOneReinstatedChangeEach()
    {
        var outage = await CancelMitteAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var patch = await app.Admin().PatchAsJsonAsync($"/api/tenants/velbert/outages/{outage}", new { end = Full("09:00") });
        Assert.That(patch.IsSuccessStatusCode, Is.True, await patch.Content.ReadAsStringAsync());
        await app.ProcessAsync();

        var changes = await ChangesAsync();
        Assert.That(changes.Where(c => c.Type == "booking.reinstated").Select(c => c.BookingRef), Is.EqualTo(new[] { "B", "C" }));
        Assert.That(changes, Has.Count.EqualTo(5), "three cancellations, two reinstatements");
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE status = 'booked' AND external_ref IN ('B', 'C')"), Is.EqualTo(2));
    }

    [Test]
    public async Task Reinstatement_OfUntoldCitizens_WritesOneReinstatedChangeEach_BecauseTheCancellationWasInTheFeed()
    {
        var outage = await CancelMitteAsync(notify: false);
        var resolve = await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{outage}/resolve", new { at = Full("07:00") });
        Assert.That(resolve.IsSuccessStatusCode, Is.True, await resolve.Content.ReadAsStringAsync());
        await app.ProcessAsync();

        var changes = await ChangesAsync();
        Assert.That(changes.Select(c => $"{c.Type} {c.BookingRef}"), Is.EqualTo(new[]
        {
            "booking.cancelled A", "booking.cancelled B", "booking.cancelled C",
            "booking.reinstated A", "booking.reinstated B", "booking.reinstated C",
        }));
    }

    [Test]
    public async Task RebookingThroughTheJsonApi_WritesOneRebookedChange_WithTheNewBooking_AndASecondTryWritesNone()
    {
        await CancelMitteAsync();
        var token = await TokenFor("+491711000001");
        var view = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/rebook/{token}");
        var slotId = view.GetProperty("offers")[0].GetProperty("slotId").ToString();

        var booked = await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId });
        Assert.That(booked.StatusCode, Is.EqualTo(HttpStatusCode.OK), await booked.Content.ReadAsStringAsync());
        var again = await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId });
        Assert.That(again.StatusCode, Is.EqualTo(HttpStatusCode.OK), "the same slot again on a rebooked link is the appointment it already holds");

        var rebooked = (await ChangesAsync()).Where(c => c.Type == "booking.rebooked").ToList();
        Assert.That(rebooked, Has.Count.EqualTo(1));
        var newRef = (await booked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bookingRef").GetString();
        Assert.That(rebooked[0], Is.EqualTo(rebooked[0] with
        {
            BookingRef = "A", NewBookingRef = newRef, NewOfficeId = "mitte", NewServiceId = "geburt",
            NewStart = DateTimeOffset.Parse(Full("19:00")), NewEnd = DateTimeOffset.Parse(Full("19:15")),
        }));
    }

    [Test]
    public async Task RebookingByTheHotline_WritesOneRebookedChange()
    {
        await CancelMitteAsync();
        var affectedId = await app.ScalarAsync<long>("SELECT a.id FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id WHERE b.external_ref = 'B'");
        var slotId = await app.ScalarAsync<long>("SELECT id FROM slots");

        var (outcome, appointment) = await app.Services.GetRequiredService<CitizenRebooking>().BookForCitizenAsync("velbert", affectedId, slotId, "test clerk");

        Assert.That(outcome, Is.EqualTo(BookingOutcome.Booked));
        var rebooked = (await ChangesAsync()).Where(c => c.Type == "booking.rebooked").ToList();
        Assert.That(rebooked.Select(c => (c.BookingRef, c.NewBookingRef)), Is.EqualTo(new[] { ("B", appointment!.BookingRef) }));
    }

    [Test]
    public async Task Declining_WritesOneDeclinedChange_AndDecliningAgainWritesNone()
    {
        await CancelMitteAsync();
        var token = await TokenFor("+491711000003");

        Assert.That((await app.Anonymous().PostAsync($"/api/rebook/{token}/decline", null)).IsSuccessStatusCode, Is.True);
        Assert.That((await app.Anonymous().PostAsync($"/api/rebook/{token}/decline", null)).IsSuccessStatusCode, Is.True);

        var declined = (await ChangesAsync()).Where(c => c.Type == "booking.declined").ToList();
        Assert.That(declined.Select(c => c.BookingRef), Is.EqualTo(new[] { "C" }));
    }

    /// <summary>Rebooks citizen A through the JSON API and opens a second slot to change to; returns A's token and that slot.</summary>
    async Task<(string Token, string OtherSlotId)> RebookAAsync()
    {
        await app.ImportAsync("velbert", "slots", new[]
        {
            new { officeId = "mitte", serviceId = (string?)null, start = Full("19:15"), end = Full("19:30"), capacity = 5 },
        });
        await CancelMitteAsync();
        var token = await TokenFor("+491711000001");
        var view = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/rebook/{token}");
        var offers = view.GetProperty("offers").EnumerateArray().Select(o => (Id: o.GetProperty("slotId").ToString(), Start: o.GetProperty("start").GetDateTimeOffset())).ToList();
        var first = offers.Single(o => o.Start == DateTimeOffset.Parse(Full("19:00")));
        var booked = await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId = first.Id });
        Assert.That(booked.StatusCode, Is.EqualTo(HttpStatusCode.OK), await booked.Content.ReadAsStringAsync());
        return (token, offers.Single(o => o.Start == DateTimeOffset.Parse(Full("19:15"))).Id);
    }

    [Test]
    public async Task ChangedAppointment_WritesOneRebookedChange_WithTheMovedBooking()
    {
        var (token, other) = await RebookAAsync();

        var changed = await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId = other });

        Assert.That(changed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await changed.Content.ReadAsStringAsync());
        var rebooked = (await ChangesAsync()).Where(c => c.Type == "booking.rebooked").ToList();
        Assert.That(rebooked, Has.Count.EqualTo(2), "the first rebooking, then the change");
        Assert.That(rebooked[1].NewBookingRef, Is.EqualTo(rebooked[0].NewBookingRef), "a change moves the same new booking");
        Assert.That(rebooked[1].NewStart, Is.EqualTo(DateTimeOffset.Parse(Full("19:15"))));
    }

    [Test]
    public async Task CancelledAppointment_WritesOneDeclinedChange()
    {
        var (token, _) = await RebookAAsync();

        Assert.That((await app.Anonymous().PostAsync($"/api/rebook/{token}/decline", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var changes = (await ChangesAsync()).Where(c => c.BookingRef == "A").Select(c => c.Type).ToList();
        Assert.That(changes, Is.EqualTo(new[] { "booking.cancelled", "booking.rebooked", "booking.declined" }));
    }

    [Test]
    public async Task AChangeWhoseChangeRowFails_LeavesTheAppointmentWhereItWas()
    {
        var (token, other) = await RebookAAsync();
        await FailInsertsIntoAsync("booking_changes", "fail_change_move");

        var changed = await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId = other });

        Assert.That(changed.IsSuccessStatusCode, Is.False);
        await HealAsync("fail_change_move");
        var view = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/rebook/{token}");
        Assert.That(view.GetProperty("state").GetString(), Is.EqualTo("rebooked"));
        var start = await app.ScalarAsync<DateTimeOffset>("SELECT n.start_utc FROM affected_bookings a JOIN bookings n ON n.id = a.new_booking_id JOIN bookings b ON b.id = a.booking_id WHERE b.external_ref = 'A'");
        Assert.That(start, Is.EqualTo(DateTimeOffset.Parse(Full("19:00"))));
        Assert.That((await ChangesAsync()).Count(c => c.Type == "booking.rebooked"), Is.EqualTo(1));
    }

    // ---- Failures injected after the booking write ----

    /// <summary>Makes every insert into <paramref name="table"/> fail: a fault after the booking write, inside its transaction.</summary>
    async Task FailInsertsIntoAsync(string table, string name)
    {
        await using var connection = await app.Db.OpenAsync();
        await connection.ExecuteAsync(provider == DatabaseProvider.Sqlite
            ? $"CREATE TRIGGER {name} BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
            : $"CREATE TRIGGER {name} ON {table} INSTEAD OF INSERT AS THROW 50000, 'injected failure', 1;");
    }

    async Task HealAsync(string name)
    {
        await using var connection = await app.Db.OpenAsync();
        await connection.ExecuteAsync($"DROP TRIGGER {name}");
    }

    [Test]
    public async Task ACancellationWhoseChangeRowFails_CancelsNothing_AndSucceedsWhole_OnceTheFaultIsGone()
    {
        await FailInsertsIntoAsync("booking_changes", "inject_changes");
        await CancelMitteAsync();

        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE status = 'cancelled'"), Is.Zero);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings"), Is.Zero);
        Assert.That(await ChangesAsync(), Is.Empty);

        await HealAsync("inject_changes");
        await app.ProcessAsync();
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE status = 'cancelled'"), Is.EqualTo(3));
        Assert.That((await ChangesAsync()).Select(c => c.BookingRef), Is.EqualTo(new[] { "A", "B", "C" }));
    }

    [Test]
    public async Task AReinstatementWhoseChangeRowFails_ReinstatesNothing()
    {
        var outage = await CancelMitteAsync(notify: false);
        await FailInsertsIntoAsync("booking_changes", "inject_changes");
        await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{outage}/resolve", new { at = Full("07:00") });
        await app.ProcessAsync();

        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE status = 'cancelled'"), Is.EqualTo(3));
        Assert.That((await ChangesAsync()).Select(c => c.Type).Distinct(), Is.EqualTo(new[] { "booking.cancelled" }));
    }

    [Test]
    public async Task ARebookingThatFailsAfterTheBookingWrite_LeavesNeitherTheNewBookingNorItsChange()
    {
        await CancelMitteAsync();
        var token = await TokenFor("+491711000001");
        var slotId = await app.ScalarAsync<long>("SELECT id FROM slots");
        var bookingsBefore = await app.ScalarAsync<int>("SELECT COUNT(*) FROM bookings");

        // First the change row itself fails, then the confirmation queued after it.
        foreach (var (table, name) in new[] { ("booking_changes", "inject_changes"), ("notifications", "inject_notifications") })
        {
            await FailInsertsIntoAsync(table, name);
            var answer = await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId = slotId.ToString() });
            Assert.That(answer.IsSuccessStatusCode, Is.False, table);
            Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM bookings"), Is.EqualTo(bookingsBefore), table);
            Assert.That(await app.ScalarAsync<int>("SELECT booked FROM slots"), Is.Zero, table);
            Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings WHERE outcome = 'rebooked'"), Is.Zero, table);
            Assert.That((await ChangesAsync()).Where(c => c.Type == "booking.rebooked"), Is.Empty, table);
            await HealAsync(name);
        }

        var healed = await app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId = slotId.ToString() });
        Assert.That(healed.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await ChangesAsync()).Count(c => c.Type == "booking.rebooked"), Is.EqualTo(1));
    }

    [Test]
    public async Task ADeclineWhoseChangeRowFails_LeavesTheBookingOpen()
    {
        await CancelMitteAsync();
        var token = await TokenFor("+491711000002");
        await FailInsertsIntoAsync("booking_changes", "inject_changes");

        var answer = await app.Anonymous().PostAsync($"/api/rebook/{token}/decline", null);

        Assert.That(answer.IsSuccessStatusCode, Is.False);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings WHERE outcome = 'declined'"), Is.Zero);
        Assert.That((await ChangesAsync()).Where(c => c.Type == "booking.declined"), Is.Empty);
    }
}
