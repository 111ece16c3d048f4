using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rebooking.Access;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Outages;

/// <summary>Südwestfalen-IT: one attack on the IT provider, many municipalities at once.</summary>
public sealed class RegionalIncidentTests
{
    RebookingApp app = null!;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync();
        foreach (var tenant in new[] { "arnsberg", "sundern", "meschede" })
        {
            await app.PutTenantAsync(tenant);
            await app.ImportAsync(tenant, "bookings", new[] { Booking($"{tenant}-1", "mitte", "geburt", "09:00"), Booking($"{tenant}-2", "neviges", "trauung", "10:00") });
        }
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    static object Regional(params string[] tenants) => new
    {
        start = Full("07:00"), end = Full("18:00"), exemptServiceIds = new[] { "trauung" },
        reason = "Cyberangriff auf den IT-Dienstleister", publicMessage = "Wegen eines IT-Ausfalls kann Ihr Termin nicht stattfinden.",
        notify = true, tenants,
    };

    [Test]
    public async Task Regional_CreatesOneOutagePerNamedTenant_AndLeavesOthersUntouched()
    {
        var response = await app.Admin().PostAsJsonAsync("/api/outages", Regional("arnsberg", "sundern"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var outages = body.GetProperty("outages").EnumerateArray().ToDictionary(o => o.GetProperty("tenant").GetString()!, o => o.GetProperty("id").GetGuid());
        Assert.That(outages.Keys, Is.EquivalentTo(new[] { "arnsberg", "sundern" }));
        Assert.That(body.GetProperty("incidentId").GetGuid(), Is.Not.EqualTo(Guid.Empty));

        await app.ProcessAsync();

        Assert.That(await app.AffectedRefsAsync(outages["arnsberg"]), Is.EqualTo(new[] { "arnsberg-1" }));
        Assert.That(await app.AffectedRefsAsync(outages["sundern"]), Is.EqualTo(new[] { "sundern-1" }));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE tenant_id = 'meschede' AND status = 'booked'"), Is.EqualTo(2));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages WHERE tenant_id = 'meschede'"), Is.Zero);
        foreach (var (tenant, id) in outages)
        {
            var outage = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}/outages/{id}");
            Assert.That(outage.GetProperty("incidentId").GetGuid(), Is.EqualTo(body.GetProperty("incidentId").GetGuid()));
            await app.StatsAsync(tenant, id);
        }
    }

    [Test]
    public async Task Regional_WithAnUnknownTenant_Is400AndCreatesNone()
    {
        var response = await app.Admin().PostAsJsonAsync("/api/outages", Regional("arnsberg", "atlantis"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.That(errors.TryGetProperty("tenants[1]", out _), Is.True);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages"), Is.Zero);
    }

    [Test]
    public async Task Regional_NeedsAnAdminValidForEveryNamedTenant()
    {
        var localAdmin = await app.ClientFor(Roles.Admin, "arnsberg");
        Assert.That((await localAdmin.PostAsJsonAsync("/api/outages", Regional("arnsberg", "sundern"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var clerk = await app.ClientFor(Roles.Clerk, "arnsberg");
        Assert.That((await clerk.PostAsJsonAsync("/api/outages", Regional("arnsberg"))).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await localAdmin.PostAsJsonAsync("/api/outages", Regional("arnsberg"))).StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages"), Is.EqualTo(1));
    }
}
