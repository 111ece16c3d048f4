using System.Net;
using System.Net.Http.Json;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Outages;

/// <summary>The public status page per tenant: what is affected and what the municipality says; nothing internal or personal.</summary>
public sealed class StatusPageTests
{
    [Test]
    public async Task ShowsTheCurrentOutages_WithOfficesServicesAndMessage_ButNoReasonAndNoCitizen()
    {
        await using var app = await RebookingApp.StartAsync(now: DateTimeOffset.Parse("2021-05-06T08:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[] { Booking("A-1", "mitte", "geburt", "09:00") });
        await app.DeclareAsync("velbert", Declare("07:00", "18:00", offices: ["mitte", "neviges"], exempt: ["trauung"]));
        var over = await app.DeclareAsync("velbert", Declare("2021-05-01T07:00:00+02:00", "2021-05-01T18:00:00+02:00", offices: ["langenberg"]));
        await app.ProcessAsync();

        var answer = await app.Anonymous().GetAsync("/status/velbert");
        var page = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(page, Does.Contain("Wegen einer technischen Störung kann Ihr Termin nicht stattfinden.")
            .And.Contain("Servicebüro Mitte, Servicebüro Neviges").And.Contain("Finden trotzdem statt").And.Contain("Trauung")
            .And.Contain("Do, 06.05.2021, 18:00 Uhr"));
        Assert.That(page, Does.Not.Contain("Servicebüro Langenberg"), "an outage that is over is not shown");
        Assert.That(page, Does.Not.Contain("Rechenzentrum"), "the internal reason stays internal");
        Assert.That(page, Does.Not.Contain("Bürger A-1").And.Not.Contain("A-1"));
        Assert.That(answer.Headers.CacheControl?.MaxAge, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(over, Is.Not.EqualTo(Guid.Empty));

        var english = WebUtility.HtmlDecode(await app.Anonymous().GetStringAsync("/status/velbert?lang=en"));
        Assert.That(english, Does.Contain("Disruptions at Stadt Velbert").And.Contain("<html lang=\"en\""));

        var resolved = await app.Admin().GetFromJsonAsync<System.Text.Json.JsonElement[]>("/api/tenants/velbert/outages");
        foreach (var outage in resolved!)
            await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{outage.GetProperty("id").GetString()}/resolve", new { });
        Assert.That(WebUtility.HtmlDecode(await app.Anonymous().GetStringAsync("/status/velbert")), Does.Contain("Zurzeit sind keine Störungen bekannt."));
        Assert.That((await app.Anonymous().GetAsync("/status/nowhere")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
