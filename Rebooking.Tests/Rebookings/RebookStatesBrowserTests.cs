using System.Net.Http.Json;
using Microsoft.Playwright;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Rebookings;

/// <summary>axe-core (WCAG 2.1 A and AA) on every state of the citizen page in every language, in Debian's Chromium.</summary>
public sealed class RebookStatesBrowserTests : CitizenBrowserFixture
{
    static readonly string[] Languages = ["de", "en", "tr", "uk", "ar"];

    protected override IReadOnlyList<Citizen> Citizens { get; } =
        [new("open", "09:00"), new("rebooked", "09:15"), new("declined", "09:30"), new("cancelled", "09:45"), new("reinstated", "11:30")];

    protected override (int Count, int Capacity, int AtMitte) Slots => (4, 3, 4);

    protected override int PhoneSeries => 3;

    /// <summary>Two citizens rebook (one of them then cancels), one declines.</summary>
    protected override async Task PrepareAsync()
    {
        var slot = (await App.ScalarAsync<long>("SELECT MIN(id) FROM slots")).ToString();
        foreach (var who in new[] { "rebooked", "cancelled" })
            Assert.That((await App.Anonymous().PostAsJsonAsync($"/api/rebook/{Tokens[who]}", new { slotId = slot })).IsSuccessStatusCode, Is.True);
        Assert.That((await App.Anonymous().PostAsync($"/api/rebook/{Tokens["declined"]}/decline", null)).IsSuccessStatusCode, Is.True);
        Assert.That((await App.Anonymous().PostAsync($"/api/rebook/{Tokens["cancelled"]}/decline", null)).IsSuccessStatusCode, Is.True);
    }

    /// <summary>Opens <paramref name="path"/> in every language, checks the page is in it and axe finds nothing.</summary>
    async Task AssertAccessibleInEveryLanguage(string path, string state)
    {
        foreach (var language in Languages)
        {
            var page = await Chromium.OpenAsync($"{App.BaseUrl}{path}{(path.Contains('?') ? '&' : '?')}lang={language}", language == "ar" ? 1280 : 360);
            Assert.That(await page.GetAttributeAsync("html", "lang"), Is.EqualTo(language), state);
            Assert.That(await page.GetAttributeAsync("html", "dir"), Is.EqualTo(language == "ar" ? "rtl" : "ltr"), state);
            await HeadlessChromium.AssertAccessibleAsync(page, $"{state} ({language})");
            await page.Context.CloseAsync();
        }
    }

    [Test]
    public async Task EveryState_IsAccessible_InEveryLanguage()
    {
        await AssertAccessibleInEveryLanguage($"/r/{Tokens["open"]}", "open");
        await AssertAccessibleInEveryLanguage($"/r/{Tokens["rebooked"]}", "rebooked");
        await AssertAccessibleInEveryLanguage($"/r/{Tokens["rebooked"]}?view=change", "change");
        await AssertAccessibleInEveryLanguage($"/r/{Tokens["rebooked"]}?view=cancel", "cancel");
        await AssertAccessibleInEveryLanguage($"/r/{Tokens["declined"]}", "declined");
        await AssertAccessibleInEveryLanguage($"/r/{Tokens["cancelled"]}", "declined after a cancellation");
        await AssertAccessibleInEveryLanguage("/r/AAAAAAAAAAAAAAAAAAAAAAAA", "unknown");
        await AssertAccessibleInEveryLanguage("/status/velbert", "status page");

        App.Clock.Advance(TimeSpan.FromHours(4) + TimeSpan.FromMinutes(1)); // 11:01: within 2 hours of the 13:00 appointment
        await AssertAccessibleInEveryLanguage($"/r/{Tokens["rebooked"]}", "rebooked, too late to change");
        var tooLate = await Chromium.OpenAsync($"{App.BaseUrl}/r/{Tokens["rebooked"]}?view=change");
        Assert.That(await tooLate.Locator(".offers").CountAsync(), Is.Zero, "no change offered after the cutoff");
        await tooLate.Context.CloseAsync();

        var resolved = await App.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{OutageId}/resolve", new { at = Full("11:00") });
        Assert.That(resolved.IsSuccessStatusCode, Is.True);
        await App.ScalarAsync<int>("UPDATE affected_bookings SET contact = 'notified'"); // as the dispatcher records a sent message
        await App.ProcessAsync();
        await AssertAccessibleInEveryLanguage($"/r/{Tokens["reinstated"]}", "reinstated");

        App.Clock.Advance(TimeSpan.FromDays(22));
        await AssertAccessibleInEveryLanguage($"/r/{Tokens["open"]}", "expired");
        var expired = await Chromium.OpenAsync($"{App.BaseUrl}/r/{Tokens["open"]}?lang=tr");
        await Assertions.Expect(expired.Locator("footer")).ToContainTextAsync("02051 26-0");
        await expired.Context.CloseAsync();
    }
}
