using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Rebookings;

/// <summary>
/// The page as a citizen uses it: Debian's Chromium driven by Playwright (never a downloaded browser),
/// axe-core checking WCAG 2.1 A and AA on every state, screenshots kept in artifacts/screenshots.
/// </summary>
public sealed partial class RebookBrowserTests : CitizenBrowserFixture
{
    protected override IReadOnlyList<Citizen> Citizens { get; } =
        [new("click", "09:00"), new("keyboard", "09:15"), new("decline", "09:30"), new("english", "09:45"), new("reinstated", "11:30")];

    protected override (int Count, int Capacity, int AtMitte) Slots => (8, 2, 5);

    protected override int PhoneSeries => 1;

    static Task Screenshot(IPage page, string name) => HeadlessChromium.ScreenshotAsync(page, name);

    static Task AssertAccessible(IPage page, string state) => HeadlessChromium.AssertAccessibleAsync(page, state);

    [Test]
    public async Task Citizen_OpensTheLink_TapsASlot_AndSeesTheConfirmation()
    {
        var page = await Open($"/r/{Tokens["click"]}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ihr Termin muss leider ausfallen");
        await Screenshot(page, "open");
        await AssertAccessible(page, "open");

        await page.GetByRole(AriaRole.Button, new() { NameRegex = FirstSlot() }).First.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ihr neuer Termin ist gebucht");
        await Assertions.Expect(page.Locator(".appointment")).ToContainTextAsync("Donnerstag, 6. Mai, 13:00 Uhr");
        await Screenshot(page, "rebooked");
        await AssertAccessible(page, "rebooked");
        var desktop = await Open($"/r/{Tokens["click"]}", 1280);
        await Screenshot(desktop, "rebooked");
    }

    [Test]
    public async Task Citizen_BooksWithTheKeyboardOnly()
    {
        var page = await Open($"/r/{Tokens["keyboard"]}");
        for (var i = 0; i < 15; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await page.EvaluateAsync<bool>("() => document.activeElement?.closest('form')?.action.includes('/book') ?? false")) break;
        }
        var focused = await page.EvaluateAsync<string>("() => document.activeElement.textContent");
        Assert.That(focused, Does.Contain("Uhr"), "a slot button takes the focus by Tab");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ihr neuer Termin ist gebucht");
    }

    [Test]
    public async Task EveryOtherPageState_IsAccessible()
    {
        var decline = await Open($"/r/{Tokens["decline"]}", 1280);
        await Screenshot(decline, "open");
        await decline.GetByRole(AriaRole.Button, new() { Name = "Ich brauche keinen neuen Termin" }).ClickAsync();
        await Assertions.Expect(decline.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sie brauchen keinen neuen Termin");
        await AssertAccessible(decline, "declined");

        var english = await Open($"/r/{Tokens["english"]}?lang=en");
        await Assertions.Expect(english.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sorry, your appointment cannot take place");
        await Screenshot(english, "open-en");
        await AssertAccessible(english, "English");

        var unknown = await Open("/r/AAAAAAAAAAAAAAAAAAAAAAAA");
        await AssertAccessible(unknown, "unknown");

        var resolved = await App.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{OutageId}/resolve", new { at = Full("11:00") });
        Assert.That(resolved.IsSuccessStatusCode, Is.True);
        await App.ScalarAsync<int>("UPDATE affected_bookings SET contact = 'notified'"); // as the dispatcher records a sent message
        await App.ProcessAsync();
        var reinstated = await Open($"/r/{Tokens["reinstated"]}");
        await Assertions.Expect(reinstated.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Gute Nachricht: Ihr Termin findet doch statt");
        await Screenshot(reinstated, "reinstated");
        await AssertAccessible(reinstated, "reinstated");

        // The link runs out (its expiry moves into the past; the shared clock cannot go back for the other tests).
        await using (var connection = await App.Db.OpenAsync())
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE rebooking_links SET expires_at = @At WHERE token_hash = @Hash",
                new { At = App.Clock.GetUtcNow().AddMinutes(-1), Hash = Rebooking.Rebookings.RebookingLinks.Hash(Tokens["english"]) });
        var expired = await Open($"/r/{Tokens["english"]}");
        await Assertions.Expect(expired.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Dieser Link ist abgelaufen");
        await Screenshot(expired, "expired");
        await AssertAccessible(expired, "expired");
    }

    [GeneratedRegex("13:00 Uhr")]
    private static partial Regex FirstSlot();
}
