using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using Rebooking.Voice;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Voice;

/// <summary>The console's call figures, call list and hotline as a clerk sees them in Debian's chromium, checked with axe-core.</summary>
public sealed class VoiceConsoleBrowserTests
{
    /// <summary>L1's three busy calls, the last at 14:00 local time (the weekday as ICU abbreviates it).</summary>
    static readonly Regex LastCall = new(@"^3 Anrufe, zuletzt Mi\.?, 05\.05\.2021, 14:00 Uhr: besetzt$");

    [Test]
    public async Task OutagePage_CallList_AndHotline_ShowTheCalls_AndStayAccessible()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await RebookingApp.StartAsync(settings: VoiceCallTests.VoiceSettings(twilio), now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"), kestrel: true);
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("L1", "mitte", "geburt", "09:00", phone: "02051 100001"),
            Booking("L2", "mitte", "geburt", "09:15", phone: "02051 100002"),
        });
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var dialer = app.Services.GetRequiredService<VoiceDialer>();
        await dialer.RunPendingAsync();
        await twilio.PlayAsync(app.Anonymous(), twilio.Calls.Single(c => c.To == "+492051100002"), Citizen.Machine());
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await twilio.PlayAsync(app.Anonymous(), twilio.Calls.Last(c => c.To == "+492051100001"), Citizen.Busy());
            app.Clock.Advance(TimeSpan.FromHours(2));
            await dialer.RunPendingAsync();
        }
        await ConsoleSession.AddAccountAsync(app, "clerk@velbert.example", Rebooking.Access.Roles.Clerk, "velbert");

        await using var chromium = await HeadlessChromium.LaunchAsync();
        var page = await chromium.OpenAsync(app.BaseUrl + "/staff", 1280, await chromium.NewContextAsync(1280));
        await page.GetByLabel("E-Mail-Adresse").FillAsync("clerk@velbert.example");
        await page.GetByLabel("Passwort").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();

        await page.GotoAsync($"{app.BaseUrl}/staff/outages/{outage}");
        await Assertions.Expect(page.GetByText("4 Anrufe, davon 1 angenommen (Person oder Anrufbeantworter), 0 ausstehend")).ToBeVisibleAsync();
        await HeadlessChromium.ScreenshotAsync(page, "voice-outage");
        await HeadlessChromium.AssertAccessibleAsync(page, "outage with calls");

        await page.GotoAsync($"{app.BaseUrl}/staff/outages/{outage}/calls");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "telefonisch nicht erreicht" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText(": 1 Person ohne Nachricht.")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "Bürger L2" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Columnheader, new() { Name = "Anrufe" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { NameRegex = LastCall })).ToBeVisibleAsync();
        await HeadlessChromium.ScreenshotAsync(page, "voice-call-list");
        await HeadlessChromium.AssertAccessibleAsync(page, "call list");
        await page.SetViewportSizeAsync(360, 800);
        await page.ReloadAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { NameRegex = LastCall })).ToBeAttachedAsync();
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.That(overflow, Is.LessThanOrEqualTo(0), "at 360 px the page itself does not scroll sideways; the table scrolls in its own region");
        await HeadlessChromium.ScreenshotAsync(page, "voice-call-list");
        await HeadlessChromium.AssertAccessibleAsync(page, "call list at 360 px");
        await page.SetViewportSizeAsync(1280, 800);

        var affected = await app.ScalarAsync<long>("SELECT a.id FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id WHERE b.external_ref = 'L2'");
        await page.GotoAsync($"{app.BaseUrl}/staff/tenants/velbert/hotline/{affected}");
        await Assertions.Expect(page.GetByText(new Regex("Nachricht auf dem Anrufbeantworter hinterlassen"))).ToBeVisibleAsync();
        await HeadlessChromium.ScreenshotAsync(page, "voice-hotline");
        await HeadlessChromium.AssertAccessibleAsync(page, "hotline after a call");
    }
}
