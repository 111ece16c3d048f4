using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rebooking.Access;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Outages;

/// <summary>Which bookings an outage affects (Velbert: three offices closed, births and deaths not certified, weddings went ahead).</summary>
public sealed class OutageScopeTests
{
    RebookingApp app = null!;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync();
        await app.PutTenantAsync("velbert");
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task Scope_OfficesServicesExemptionsAndHalfOpenWindow_SelectExactlyTheRightBookings()
    {
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("at-start", "mitte", "geburt", "07:00"),
            Booking("inside", "mitte", "personalausweis", "09:00"),
            Booking("wedding", "mitte", "trauung", "10:00"),
            Booking("other-office", "langenberg", "geburt", "10:00"),
            Booking("second-office", "neviges", "sterbefall", "11:00"),
            Booking("last-minute", "mitte", "sterbefall", "17:59"),
            Booking("at-end", "mitte", "geburt", "18:00"),
            Booking("before", "mitte", "geburt", "06:45"),
        });
        var body = Declare("07:00", "18:00", offices: ["mitte", "neviges"], exempt: ["trauung"]);

        var preview = await (await app.Admin().PostAsJsonAsync("/api/tenants/velbert/outages/preview", body)).Content.ReadFromJsonAsync<JsonElement>();
        var outage = await app.DeclareAsync("velbert", body);
        await app.ProcessAsync();

        var expected = new[] { "at-start", "inside", "last-minute", "second-office" };
        Assert.That(await app.AffectedRefsAsync(outage), Is.EqualTo(expected));
        Assert.That(preview.GetProperty("affected").GetInt32(), Is.EqualTo(expected.Length), "preview and processing agree");
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("affected").GetInt32(), Is.EqualTo(4));
        Assert.That(stats.GetProperty("processingComplete").GetBoolean(), Is.True);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE status = 'cancelled'"), Is.EqualTo(4));
    }

    [Test]
    public async Task Scope_ServiceList_LimitsToThoseServices()
    {
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("birth", "mitte", "geburt", "09:00"), Booking("death", "langenberg", "sterbefall", "09:00"),
            Booking("id-card", "mitte", "personalausweis", "09:00"), Booking("wedding", "mitte", "trauung", "09:00"),
        });
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00", services: ["geburt", "sterbefall"]));
        await app.ProcessAsync();
        Assert.That(await app.AffectedRefsAsync(outage), Is.EqualTo(new[] { "birth", "death" }));
    }

    [Test]
    public async Task Preview_CountsByContactOfficeAndService_AndStoresNothing()
    {
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("mobile", "mitte", "geburt", "09:00"),
            Booking("both", "mitte", "geburt", "09:15", email: "a@example.org"),
            Booking("email", "neviges", "geburt", "09:30", phone: null, email: "b@example.org"),
            Booking("landline", "neviges", "sterbefall", "09:45", phone: "02051 26-0"),
            Booking("landline-and-email", "neviges", "sterbefall", "10:00", phone: "02051 26-0", email: "c@example.org"),
            Booking("nothing", "neviges", "sterbefall", "10:15", phone: null),
        });

        var response = await app.Admin().PostAsJsonAsync("/api/tenants/velbert/outages/preview", Declare("07:00", "18:00"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var preview = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(preview.GetProperty("affected").GetInt32(), Is.EqualTo(6));
        Assert.That(preview.GetProperty("withPhone").GetInt32(), Is.EqualTo(2));
        Assert.That(preview.GetProperty("withEmailOnly").GetInt32(), Is.EqualTo(2), "a landline is no SMS target: with an email it counts as email");
        Assert.That(preview.GetProperty("withoutContact").GetInt32(), Is.EqualTo(2));
        Assert.That(preview.GetProperty("byOffice").ToString(), Is.EqualTo("""[{"officeId":"mitte","affected":2},{"officeId":"neviges","affected":4}]"""));
        Assert.That(preview.GetProperty("byService").ToString(), Is.EqualTo("""[{"serviceId":"geburt","affected":3},{"serviceId":"sterbefall","affected":3}]"""));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages"), Is.Zero);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outage_scope"), Is.Zero);
    }

    [Test]
    public async Task DstDay_BothHalfPastTwosOfTheAutumnNightAreCovered_AndLocalTimesCarryTheirOffsets()
    {
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("first-0230", "mitte", "geburt", "2021-10-31T02:30:00+02:00"),
            Booking("second-0230", "mitte", "geburt", "2021-10-31T02:30:00+01:00"),
            Booking("next-day", "mitte", "geburt", "2021-11-01T00:00:00+01:00"),
        });
        var outage = await app.DeclareAsync("velbert", Declare("2021-10-31T00:00:00+02:00", "2021-11-01T00:00:00+01:00"));
        await app.ProcessAsync();

        Assert.That(await app.AffectedRefsAsync(outage), Is.EqualTo(new[] { "first-0230", "second-0230" }));
        var body = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/velbert/outages/{outage}");
        Assert.That(body.GetProperty("start").GetString(), Is.EqualTo("2021-10-31T00:00:00+02:00"));
        Assert.That(body.GetProperty("end").GetString(), Is.EqualTo("2021-11-01T00:00:00+01:00"));
        var list = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/velbert/outages/{outage}/unreachable");
        Assert.That(list.GetArrayLength(), Is.Zero);
    }

    [Test]
    public async Task OverlappingOutages_CancelAndNotifyABookingOnce_AndAlreadyCancelledBookingsAreLeftAlone()
    {
        await app.ImportAsync("velbert", "bookings", new[] { Booking("shared", "mitte", "geburt", "09:00"), Booking("later", "mitte", "geburt", "13:00") });
        var first = await app.DeclareAsync("velbert", Declare("08:00", "12:00"));
        await app.ProcessAsync();
        var second = await app.DeclareAsync("velbert", Declare("07:00", "14:00"));
        await app.ProcessAsync();

        Assert.That(await app.AffectedRefsAsync(first), Is.EqualTo(new[] { "shared" }));
        Assert.That(await app.AffectedRefsAsync(second), Is.EqualTo(new[] { "later" }));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE kind = 'cancellation'"), Is.EqualTo(2));
        await app.StatsAsync("velbert", first);
        await app.StatsAsync("velbert", second);
    }

    [Test]
    public async Task Declare_InvalidBody_Is400NamingEachFieldAndStoresNothing()
    {
        var response = await app.Admin().PostAsJsonAsync("/api/tenants/velbert/outages", new
        {
            start = "2021-05-06T07:00:00", end = "2021-05-06T06:00:00+02:00", reason = "", publicMessage = new string('x', 301),
            exemptServiceIds = new[] { "trauung", "trauung" },
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.SupersetOf(new[] { "start", "reason", "publicMessage", "exemptServiceIds" }));

        var unknown = await app.Admin().PostAsJsonAsync("/api/tenants/velbert/outages",
            Declare("07:00", "18:00", offices: ["mitte", "atlantis"], exempt: ["hochzeit"]));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var unknownErrors = (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.That(unknownErrors.GetProperty("officeIds[1]")[0].GetString(), Does.Contain("atlantis"));
        Assert.That(unknownErrors.TryGetProperty("exemptServiceIds[0]", out _), Is.True);

        var tooLong = await app.Admin().PostAsJsonAsync("/api/tenants/velbert/outages", Declare("2021-05-06T07:00:00+02:00", "2021-07-06T07:00:00+02:00"));
        Assert.That(tooLong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("end", out _), Is.True);

        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages"), Is.Zero);
    }

    [Test]
    public async Task Declare_LongWindowWithConfirmation_IsAccepted()
    {
        var response = await app.Admin().PostAsJsonAsync("/api/tenants/velbert/outages", new
        {
            start = "2021-05-06T07:00:00+02:00", end = "2021-07-06T07:00:00+02:00", reason = "Umbau", publicMessage = "Das Büro ist geschlossen.",
            confirmLongWindow = true,
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(response.Headers.Location!.ToString(), Does.StartWith("/api/tenants/velbert/outages/"));
    }

    [Test]
    public async Task Roles_SupervisorReadsButCannotDeclare_ClerkOfAnotherTenantSeesNothing()
    {
        await app.PutTenantAsync("castrop-rauxel");
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        var supervisor = await app.ClientFor(Roles.Supervisor, "velbert");
        Assert.That((await supervisor.PostAsJsonAsync("/api/tenants/velbert/outages", Declare("07:00", "18:00"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await supervisor.PostAsJsonAsync($"/api/tenants/velbert/outages/{outage}/resolve", new { })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await supervisor.GetAsync($"/api/tenants/velbert/outages/{outage}/stats")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await supervisor.GetAsync($"/api/tenants/velbert/outages/{outage}/unreachable")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var otherClerk = await app.ClientFor(Roles.Clerk, "castrop-rauxel");
        Assert.That((await otherClerk.GetAsync($"/api/tenants/velbert/outages/{outage}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await otherClerk.GetAsync($"/api/tenants/castrop-rauxel/outages/{outage}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
