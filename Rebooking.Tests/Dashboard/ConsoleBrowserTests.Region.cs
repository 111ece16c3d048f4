using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rebooking.Tenants;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Dashboard;

/// <summary>The regional IT provider's pages and account management, in the browser: axe-clean, looked at in 1280 and 360 px.</summary>
public sealed partial class ConsoleBrowserTests
{
    static readonly int[] Widths = [1280, 360];

    /// <summary>Three more municipalities and one regional incident over them and the demo tenant, a week after the demo day.</summary>
    async Task<Guid> RegionalIncidentAsync()
    {
        using var admin = new HttpClient { BaseAddress = new Uri(baseUrl) };
        admin.DefaultRequestHeaders.Add("X-Api-Key", RebookingApp.AdminKey);
        var day = DemoTenant.NextWorkingDay(DateTimeOffset.UtcNow, OffsetTime.Zone("Europe/Berlin")).AddDays(7).ToString("yyyy-MM-dd");
        var tenants = new[] { ("arnsberg", "Stadt Arnsberg"), ("meschede", "Kreis- und Hochschulstadt Meschede"), ("sundern", "Stadt Sundern (Sauerland)") };
        foreach (var (slug, name) in tenants)
        {
            Assert.That((await admin.PutAsJsonAsync($"/api/tenants/{slug}", RebookingApp.TenantBody(name))).IsSuccessStatusCode, Is.True);
            // Every third citizen has no phone: meschede (8 letters → 11 bookings) and sundern get 4 unreachable each.
            var first = DateTimeOffset.Parse($"{day}T08:00:00+01:00");
            var bookings = Enumerable.Range(0, 3 + slug.Length).Select(i => new
            {
                externalRef = $"{slug}-{i}", officeId = "mitte", serviceId = "geburt",
                start = first.AddMinutes(15 * i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"), end = first.AddMinutes(15 * i + 15).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
                name = "Erika Mustermann", phone = i % 3 == 0 ? null : "0171 2345678", email = (string?)null, language = "de",
            });
            var imported = await admin.PostAsJsonAsync($"/api/tenants/{slug}/bookings/import", bookings);
            Assert.That(imported.IsSuccessStatusCode, Is.True, await imported.Content.ReadAsStringAsync());
        }
        var incident = await admin.PostAsJsonAsync("/api/outages", new
        {
            start = $"{day}T07:00:00+01:00", end = $"{day}T18:00:00+01:00", reason = "Angriff auf den IT-Dienstleister",
            publicMessage = "Wegen eines Angriffs auf unseren IT-Dienstleister fällt Ihr Termin aus.", notify = true,
            tenants = tenants.Select(t => t.Item1).Append(DemoTenant.Slug).ToArray(),
        });
        Assert.That((int)incident.StatusCode, Is.EqualTo(202), await incident.Content.ReadAsStringAsync());
        return (await incident.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("incidentId").GetGuid();
    }

    [Test]
    public async Task RegionalAdmin_SortsTheOverviewByUnreachable_AndOpensTheIncident_AxeCleanAt1280And360()
    {
        var incident = await RegionalIncidentAsync();
        foreach (var width in Widths)
        {
            var page = await SignIn(AdminEmail, AdminPassword, width);
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Stadt Arnsberg" })).ToBeVisibleAsync();
            // Figures arrive from the in-process worker; wait until the unreachable citizens are counted.
            var meschede = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Meschede" });
            for (var tries = 0; tries < 30 && !Regex.IsMatch(await meschede.InnerTextAsync(), @"\b4\b"); tries++)
            {
                await Task.Delay(1000);
                await page.ReloadAsync();
            }
            Assert.That(await meschede.InnerTextAsync(), Does.Match(@"\b4\b"), "four of Meschede's citizens have no phone");
            await page.GetByRole(AriaRole.Link, new() { Name = "Nach nicht Erreichbaren sortieren" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new Regex("sort=unreachable"));
            // The unreachable column (the fourth figure) reads from most to fewest.
            var unreachable = (await page.Locator("tbody tr td:nth-of-type(4)").AllInnerTextsAsync())
                .Select(t => int.Parse(t.Replace(".", ""), System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.That(unreachable, Has.Count.GreaterThanOrEqualTo(4));
            Assert.That(unreachable, Is.Ordered.Descending);
            await Accessible(page, $"overview sorted, {width}px");
            await Screenshot(page, "staff-region-overview");

            await page.GotoAsync($"{baseUrl}/staff/incidents/{incident}");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Regionaler Vorfall");
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Stadt Sundern (Sauerland)" })).ToBeVisibleAsync();
            await Accessible(page, $"incident, {width}px");
            await Screenshot(page, "staff-incident");
        }
    }

    [Test]
    public async Task Admin_CreatesAnAccount_TheHolderChangesTheOneTimePassword_AxeCleanAt1280And360()
    {
        foreach (var width in Widths)
        {
            var admin = await SignIn(AdminEmail, AdminPassword, width);
            await admin.GotoAsync(baseUrl + "/staff/accounts");
            await Assertions.Expect(admin.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Konten der Mitarbeitenden");
            await Accessible(admin, $"accounts, {width}px");
            await Screenshot(admin, "staff-accounts");

            await admin.GetByRole(AriaRole.Link, new() { Name = "Neues Konto" }).ClickAsync();
            await admin.GetByRole(AriaRole.Button, new() { Name = "Konto anlegen" }).ClickAsync();
            await Assertions.Expect(admin.GetByRole(AriaRole.Alert)).ToContainTextAsync("gültige E-Mail-Adresse");
            await Accessible(admin, $"new account with errors, {width}px");
            await Screenshot(admin, "staff-account-new-errors");
            var email = $"neu-{width}@castrop-rauxel.demo";
            await admin.GetByLabel("Name").FillAsync("Neue Kollegin");
            await admin.GetByLabel("E-Mail-Adresse").FillAsync(email);
            await admin.GetByLabel("Rolle").SelectOptionAsync("clerk");
            await admin.GetByLabel("Kommune").SelectOptionAsync(DemoTenant.Slug);
            await admin.GetByRole(AriaRole.Button, new() { Name = "Konto anlegen" }).ClickAsync();
            var oneTime = (await admin.Locator("#one-time-password").TextContentAsync())!.Trim();
            Assert.That(oneTime, Has.Length.EqualTo(24));
            await Accessible(admin, $"one-time password, {width}px");
            await Screenshot(admin, "staff-account-created");

            var holder = await SignIn(email, oneTime, width);
            await Assertions.Expect(holder).ToHaveURLAsync(new Regex("/staff/password$"));
            await Accessible(holder, $"forced password change, {width}px");
            await Screenshot(holder, "staff-password-forced");
            await holder.GetByLabel("Bisheriges Passwort").FillAsync(oneTime);
            await holder.GetByLabel("Neues Passwort", new() { Exact = true }).FillAsync("drei Kaffee für Castrop");
            await holder.GetByLabel("Neues Passwort wiederholen").FillAsync("drei Kaffee für Castrop");
            await holder.GetByRole(AriaRole.Button, new() { Name = "Passwort speichern" }).ClickAsync();
            await Assertions.Expect(holder.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Stadt Castrop-Rauxel");
            await Screenshot(holder, "staff-clerk-header");
        }
    }
}
