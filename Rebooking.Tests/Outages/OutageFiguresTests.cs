using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Outages;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Outages;

/// <summary>
/// The figures statements count affected bookings per (outage, office, contact, outcome) and C# sums them: every
/// way of reading the figures (one outage, a tenant's range, each outage of a tenant, the region, an incident) must
/// agree with a plain count of the affected rows, for every contact state and outcome and across offices.
/// </summary>
public sealed class OutageFiguresTests
{
    static readonly string[] Contacts = ["pending", "notified", "delivered", "unreachable"];
    static readonly string[] Outcomes = ["open", "rebooked", "declined", "reinstated"];

    sealed class Row
    {
        public Guid OutageId { get; init; }
        public string TenantId { get; init; } = "";
        public string OfficeId { get; init; } = "";
        public string Contact { get; init; } = "";
        public string Outcome { get; init; } = "";
    }

    [Test]
    public async Task EveryReadingOfTheFigures_AgreesWithACountOfTheAffectedRows_InEveryStateAndOffice()
    {
        await using var app = await RebookingApp.StartAsync(now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
        string[] offices = ["mitte", "langenberg", "neviges"];
        foreach (var tenant in new[] { "velbert", "wuelfrath" })
        {
            await app.PutTenantAsync(tenant);
            // 45 bookings per tenant over three offices: in the morning (outage 1), the afternoon (outage 2) and the
            // evening (the regional incident).
            await app.ImportAsync(tenant, "bookings", Enumerable.Range(0, 45).Select(i =>
                Booking($"{tenant}-{i}", offices[i / 3 % 3], "geburt", $"{new[] { 8, 13, 18 }[i % 3] + i / 9 % 3 * (i % 3 == 2 ? 0 : 1):00}:{i % 4 * 10:00}")).ToArray());
            await app.DeclareAsync(tenant, Declare("07:00", "12:00"));
            await app.DeclareAsync(tenant, Declare("12:00", "18:00"));
        }
        var incident = await app.Admin().PostAsJsonAsync("/api/outages", new
        {
            start = Full("18:00"), end = Full("19:00"), reason = "Angriff", publicMessage = "Störung.", notify = true, tenants = new[] { "velbert", "wuelfrath" },
        });
        Assert.That((int)incident.StatusCode, Is.EqualTo(202));
        var incidentId = (await incident.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("incidentId").GetGuid();
        await app.ProcessAsync();

        // Spread the affected rows over every contact state and outcome (as the worker, citizens and clerks would leave them).
        await using (var connection = await app.Db.OpenAsync())
        {
            var ids = (await connection.QueryAsync<long>("SELECT id FROM affected_bookings ORDER BY id")).ToList();
            Assert.That(ids, Has.Count.EqualTo(90));
            for (var i = 0; i < ids.Count; i++)
                await connection.ExecuteAsync("UPDATE affected_bookings SET contact = @Contact, outcome = @Outcome, unreachable_reason = CASE WHEN @Contact = 'unreachable' THEN 'failed' END WHERE id = @Id",
                    new { Contact = Contacts[i % 4], Outcome = Outcomes[i / 4 % 4], Id = ids[i] });
        }
        List<Row> rows;
        await using (var connection = await app.Db.OpenAsync())
            rows = (await connection.QueryAsync<Row>("""
                SELECT a.outage_id AS OutageId, o.tenant_id AS TenantId, a.office_id AS OfficeId, a.contact AS Contact, a.outcome AS Outcome
                FROM affected_bookings a JOIN outages o ON o.id = a.outage_id
                """)).ToList();
        Assert.That(rows.Select(r => (r.Contact, r.Outcome)).Distinct().Count(), Is.EqualTo(16), "every pair of states occurs");

        var reports = new OutageReports(app.Db);
        var velbertOutages = rows.Where(r => r.TenantId == "velbert").Select(r => r.OutageId).Distinct().ToList();
        Assert.That(velbertOutages, Has.Count.EqualTo(3), "morning, afternoon and the incident's evening");

        foreach (var outageId in velbertOutages)
            AssertFigures(await reports.ForOutageAsync(outageId, processingComplete: true), rows.Where(r => r.OutageId == outageId), $"outage {outageId}");

        var velbert = rows.Where(r => r.TenantId == "velbert").ToList();
        AssertFigures(await reports.ForTenantAsync("velbert", null, null), velbert, "tenant, all time");

        var outages = await app.Services.GetRequiredService<OutageStore>().ListAsync("velbert");
        var each = await reports.ForOutagesOfTenantAsync(outages);
        foreach (var outage in outages)
            AssertFigures(each[outage.Id], rows.Where(r => r.OutageId == outage.Id), $"each outage of the tenant: {outage.Id}");

        var region = await reports.ActiveByTenantAsync();
        Assert.That(region.Select(t => t.TenantId), Is.EquivalentTo(new[] { "velbert", "wuelfrath" }));
        foreach (var tenant in region)
            AssertFigures(tenant.Stats, rows.Where(r => r.TenantId == tenant.TenantId), $"region: {tenant.TenantId}", byOffice: false);

        var incidentFigures = await reports.ForIncidentAsync(incidentId);
        Assert.That(incidentFigures, Is.Not.Null);
        var incidentOutages = await app.Services.GetRequiredService<OutageStore>().ListAsync("wuelfrath");
        foreach (var tenant in incidentFigures!.Tenants)
        {
            var ofIncident = rows.Where(r => r.TenantId == tenant.TenantId && r.OutageId == IncidentOutage(outages, incidentOutages, tenant.TenantId, incidentId));
            AssertFigures(tenant.Stats, ofIncident, $"incident: {tenant.TenantId}", byOffice: false);
        }
    }

    static Guid IncidentOutage(IReadOnlyList<Outage> velbert, IReadOnlyList<Outage> wuelfrath, string tenant, Guid incidentId) =>
        (tenant == "velbert" ? velbert : wuelfrath).Single(o => o.IncidentId == incidentId).Id;

    static void AssertFigures(OutageStats stats, IEnumerable<Row> expectedRows, string what, bool byOffice = true)
    {
        var rows = expectedRows.ToList();
        Assert.That(rows, Is.Not.Empty, what);
        int Count(Func<Row, bool> which) => rows.Count(which);
        Assert.Multiple(() =>
        {
            Assert.That(stats.Affected, Is.EqualTo(rows.Count), $"{what}: affected");
            Assert.That(stats.Contact.Notified, Is.EqualTo(Count(r => r.Contact is "notified" or "delivered")), $"{what}: notified");
            Assert.That(stats.Contact.Delivered, Is.EqualTo(Count(r => r.Contact == "delivered")), $"{what}: delivered");
            Assert.That(stats.Contact.Unreachable, Is.EqualTo(Count(r => r.Contact == "unreachable")), $"{what}: unreachable");
            Assert.That(stats.Contact.Pending, Is.EqualTo(Count(r => r.Contact == "pending")), $"{what}: pending");
            Assert.That(stats.Outcome.Open, Is.EqualTo(Count(r => r.Outcome == "open")), $"{what}: open");
            Assert.That(stats.Outcome.Rebooked, Is.EqualTo(Count(r => r.Outcome == "rebooked")), $"{what}: rebooked");
            Assert.That(stats.Outcome.Declined, Is.EqualTo(Count(r => r.Outcome == "declined")), $"{what}: declined");
            Assert.That(stats.Outcome.Reinstated, Is.EqualTo(Count(r => r.Outcome == "reinstated")), $"{what}: reinstated");
            if (byOffice)
                Assert.That(stats.ByOffice.Select(o => (o.OfficeId, o.Affected)),
                    Is.EqualTo(rows.GroupBy(r => r.OfficeId).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.Count()))),
                    $"{what}: by office, in the order of their ids");
        });
    }
}
