using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Rebookings;

/// <summary>axe-core (WCAG 2.1 A and AA) on every state of the citizen page in every language, in Debian's Chromium.</summary>
public sealed class RebookStatesBrowserTests
{
    static readonly string[] Languages = ["de", "en", "tr", "uk", "ar"];

    RebookingApp app = null!;
    HeadlessChromium chromium = null!;
    Guid outage;
    readonly Dictionary<string, string> tokens = new();

    [OneTimeSetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync(settings: new Dictionary<string, string?> { ["Rebooking:RequestsPerMinutePerClient"] = "0" },
            now: DateTimeOffset.Parse("2021-05-06T07:00:00+02:00"), kestrel: true);
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "slots", Enumerable.Range(0, 4).Select(i => new
        {
            officeId = "mitte", serviceId = (string?)null, capacity = 3,
            start = DateTimeOffset.Parse(Full("13:00")).AddMinutes(15 * i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            end = DateTimeOffset.Parse(Full("13:15")).AddMinutes(15 * i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
        }).ToArray());
        var citizens = new[] { ("open", "09:00"), ("rebooked", "09:15"), ("declined", "09:30"), ("cancelled", "09:45"), ("reinstated", "11:30") };
        await app.ImportAsync("velbert", "bookings", citizens.Select((c, i) => Booking(c.Item1, "mitte", "geburt", c.Item2, phone: $"0171 300000{i}")).ToArray());
        outage = await app.DeclareAsync("velbert", Declare("07:00", "12:00"));
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var outbox = await app.Admin().GetFromJsonAsync<JsonElement>("/api/dev/outbox");
        for (var i = 0; i < citizens.Length; i++)
            tokens[citizens[i].Item1] = LinkToken(outbox.EnumerateArray().Single(m => m.GetProperty("to").GetString() == $"+49171300000{i}").GetProperty("body").GetString()!);
        var slot = (await app.ScalarAsync<long>("SELECT MIN(id) FROM slots")).ToString();
        foreach (var who in new[] { "rebooked", "cancelled" })
            Assert.That((await app.Anonymous().PostAsJsonAsync($"/api/rebook/{tokens[who]}", new { slotId = slot })).IsSuccessStatusCode, Is.True);
        Assert.That((await app.Anonymous().PostAsync($"/api/rebook/{tokens["declined"]}/decline", null)).IsSuccessStatusCode, Is.True);
        Assert.That((await app.Anonymous().PostAsync($"/api/rebook/{tokens["cancelled"]}/decline", null)).IsSuccessStatusCode, Is.True);
        chromium = await HeadlessChromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (chromium is not null) await chromium.DisposeAsync();
        if (app is not null) await app.DisposeAsync();
    }

    /// <summary>Opens <paramref name="path"/> in every language, checks the page is in it and axe finds nothing.</summary>
    async Task AssertAccessibleInEveryLanguage(string path, string state)
    {
        foreach (var language in Languages)
        {
            var page = await chromium.OpenAsync($"{app.BaseUrl}{path}{(path.Contains('?') ? '&' : '?')}lang={language}", language == "ar" ? 1280 : 360);
            Assert.That(await page.GetAttributeAsync("html", "lang"), Is.EqualTo(language), state);
            Assert.That(await page.GetAttributeAsync("html", "dir"), Is.EqualTo(language == "ar" ? "rtl" : "ltr"), state);
            await HeadlessChromium.AssertAccessibleAsync(page, $"{state} ({language})");
            await page.Context.CloseAsync();
        }
    }

    [Test]
    public async Task EveryState_IsAccessible_InEveryLanguage()
    {
        await AssertAccessibleInEveryLanguage($"/r/{tokens["open"]}", "open");
        await AssertAccessibleInEveryLanguage($"/r/{tokens["rebooked"]}", "rebooked");
        await AssertAccessibleInEveryLanguage($"/r/{tokens["rebooked"]}?view=change", "change");
        await AssertAccessibleInEveryLanguage($"/r/{tokens["rebooked"]}?view=cancel", "cancel");
        await AssertAccessibleInEveryLanguage($"/r/{tokens["declined"]}", "declined");
        await AssertAccessibleInEveryLanguage($"/r/{tokens["cancelled"]}", "declined after a cancellation");
        await AssertAccessibleInEveryLanguage("/r/AAAAAAAAAAAAAAAAAAAAAAAA", "unknown");
        await AssertAccessibleInEveryLanguage("/status/velbert", "status page");

        app.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1)); // 11:01: within 2 hours of the 13:00 appointment
        await AssertAccessibleInEveryLanguage($"/r/{tokens["rebooked"]}", "rebooked, too late to change");
        var tooLate = await chromium.OpenAsync($"{app.BaseUrl}/r/{tokens["rebooked"]}?view=change");
        Assert.That(await tooLate.Locator(".offers").CountAsync(), Is.Zero, "no change offered after the cutoff");
        await tooLate.Context.CloseAsync();

        var resolved = await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{outage}/resolve", new { at = Full("11:00") });
        Assert.That(resolved.IsSuccessStatusCode, Is.True);
        await app.ScalarAsync<int>("UPDATE affected_bookings SET contact = 'notified'"); // as the dispatcher records a sent message
        await app.ProcessAsync();
        await AssertAccessibleInEveryLanguage($"/r/{tokens["reinstated"]}", "reinstated");

        app.Clock.Advance(TimeSpan.FromDays(22));
        await AssertAccessibleInEveryLanguage($"/r/{tokens["open"]}", "expired");
        var expired = await chromium.OpenAsync($"{app.BaseUrl}/r/{tokens["open"]}?lang=tr");
        await Assertions.Expect(expired.Locator("footer")).ToContainTextAsync("02051 26-0");
        await expired.Context.CloseAsync();
    }
}
