using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Outages;

/// <summary>The console's outage page as a clerk sees it: the long-window confirmation next to "new end", and an outage called off before it began.</summary>
public sealed class OutageChangesBrowserTests
{
    [Test]
    public async Task AnOutageResolvedBeforeItsStart_ReadsAsCalledOff_OnItsPageAndTheDashboard_AndBothAreAccessible()
    {
        await using var app = await RebookingApp.StartAsync(now: DateTimeOffset.Parse("2021-05-05T12:00:00+02:00"), kestrel: true);
        await app.PutTenantAsync("velbert");
        await ConsoleSession.AddAccountAsync(app, "clerk@velbert.example", "clerk", "velbert");
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "12:00", notify: false));
        var resolved = await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{outage}/resolve", new { at = "2021-05-06T06:00:00+02:00" });
        Assert.That(resolved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await resolved.Content.ReadAsStringAsync());

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.OpenAsync(app.BaseUrl + "/staff", 1280);
        await page.GetByLabel("E-Mail-Adresse").FillAsync("clerk@velbert.example");
        await page.GetByLabel("Passwort").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Stadt Velbert");
        await Assertions.Expect(page.Locator("table")).ToContainTextAsync("Vor Beginn abgesagt");
        await HeadlessChromium.AssertAccessibleAsync(page, "dashboard with a called-off outage");
        await HeadlessChromium.ScreenshotAsync(page, "staff-dashboard-called-off");

        await page.GotoAsync($"{app.BaseUrl}/staff/outages/{outage}");
        // Not "07:00 – 07:00": the window's place says the outage never took effect.
        await Assertions.Expect(page.Locator("dl dd").First).ToHaveTextAsync(new Regex(@"^Vor Beginn abgesagt \(geplanter Beginn \w+\.?, 06\.05\.2021, 07:00 Uhr\)$"));
        await HeadlessChromium.AssertAccessibleAsync(page, "called-off outage");
        await HeadlessChromium.ScreenshotAsync(page, "staff-outage-called-off");

        // A running outage: the confirmation sits with the new end, and is needed past 31 days.
        var running = await app.DeclareAsync("velbert", Declare("13:00", "14:00", notify: false));
        await page.GotoAsync($"{app.BaseUrl}/staff/outages/{running}");
        await page.GetByLabel("Neues Ende").FillAsync("2021-07-01T13:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "Ende ändern" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("mehr als 31 Tage");
        await HeadlessChromium.AssertAccessibleAsync(page, "long window refused");
        await HeadlessChromium.ScreenshotAsync(page, "staff-outage-long-window");
        await page.GetByLabel("Neues Ende").FillAsync("2021-07-01T13:00");
        await page.GetByLabel(new Regex("länger als 31 Tage")).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Ende ändern" }).ClickAsync();
        await Assertions.Expect(page.Locator("dl dd").First).ToContainTextAsync("01.07.2021, 13:00 Uhr");
    }
}
