using System.Net.Http.Json;
using Rebooking.Access;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Dashboard;

/// <summary>
/// The console's figures cost a fixed number of statements, whatever the size of the region: counted through
/// the counting connection wrapper (<c>Db.CommandExecuted</c>) around every statement the pages run.
/// </summary>
public sealed class ConsoleQueryCountTests
{
    /// <summary>Statements each page ran, for a region of <paramref name="tenants"/> × <paramref name="outagesPerTenant"/>.</summary>
    static async Task<(int Overview, int Dashboard, int Live, int Incident, string OverviewPage)> MeasureAsync(int tenants, int outagesPerTenant)
    {
        await using var app = await RebookingApp.StartAsync(now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
        var slugs = Enumerable.Range(1, tenants).Select(i => $"kommune-{i:00}").ToList();
        var hours = new[] { "08", "10", "12" };
        foreach (var slug in slugs)
        {
            await app.PutTenantAsync(slug);
            await app.ImportAsync(slug, "bookings", hours.Take(outagesPerTenant).Select((h, i) =>
                Booking($"{slug}-{i}", "mitte", "geburt", $"{h}:00", phone: i == 0 ? null : "0171 2345678")).ToArray());
            for (var i = 0; i < outagesPerTenant; i++)
                await app.DeclareAsync(slug, Declare($"{hours[i]}:00", $"{hours[i]}:30"));
        }
        // One regional incident over every tenant too, so the incident page has as many lines as the region.
        var incident = await app.Admin().PostAsJsonAsync("/api/outages", new
        {
            start = Full("16:00"), end = Full("17:00"), reason = "Angriff auf den Dienstleister", publicMessage = "Störung.", notify = true,
            tenants = slugs,
        });
        Assert.That((int)incident.StatusCode, Is.EqualTo(202), await incident.Content.ReadAsStringAsync());
        var incidentId = (await incident.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("incidentId").GetGuid();
        await app.ProcessAsync();
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings"), Is.EqualTo(tenants * outagesPerTenant));

        await ConsoleSession.AddAccountAsync(app, "it@region.example", Roles.Admin, Roles.AllTenants);
        var admin = await ConsoleSession.SignInAsync(app, "it@region.example");

        var statements = 0;
        app.Db.CommandExecuted = _ => Interlocked.Increment(ref statements);
        async Task<(int Count, string Body)> Count(string path)
        {
            var before = Volatile.Read(ref statements);
            var answer = await admin.Client.GetAsync(path);
            Assert.That((int)answer.StatusCode, Is.EqualTo(200), path);
            var body = await answer.Content.ReadAsStringAsync();
            return (Volatile.Read(ref statements) - before, body);
        }
        var overview = await Count("/staff?sort=unreachable");
        var dashboard = await Count($"/staff/tenants/{slugs[^1]}");
        var live = await Count($"/staff/tenants/{slugs[^1]}/live");
        var incidentPage = await Count($"/staff/incidents/{incidentId}");
        app.Db.CommandExecuted = null;
        TestContext.Out.WriteLine($"{tenants} × {outagesPerTenant}: overview {overview.Count}, dashboard {dashboard.Count}, live {live.Count}, incident {incidentPage.Count}");
        return (overview.Count, dashboard.Count, live.Count, incidentPage.Count, System.Net.WebUtility.HtmlDecode(overview.Body));
    }

    [Test]
    public async Task TheOverview_TheDashboard_AndAnIncident_RunAsManyStatements_For72TenantsWith3OutagesEach_AsFor1With1()
    {
        var small = await MeasureAsync(1, 1);
        var large = await MeasureAsync(72, 3);

        Assert.That(small.Overview, Is.GreaterThan(0), "the wrapper saw the page's statements");
        Assert.That(large.Overview, Is.EqualTo(small.Overview), "overview");
        Assert.That(large.Dashboard, Is.EqualTo(small.Dashboard), "tenant dashboard");
        Assert.That(large.Live, Is.EqualTo(small.Live), "the dashboard's 2-second refresh");
        Assert.That(large.Incident, Is.EqualTo(small.Incident), "incident page");
        Assert.That(large.Overview, Is.LessThanOrEqualTo(6), "a handful, not one per tenant");

        // And the figures are there: every municipality is listed (each has unresolved outages), none is left over.
        Assert.That(large.OverviewPage, Does.Contain("kommune-72").And.Contain("Weitere Kommunen ohne laufenden Ausfall: 0"));
    }
}
