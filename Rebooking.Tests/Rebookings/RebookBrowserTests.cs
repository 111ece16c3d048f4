using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Rebookings;

/// <summary>
/// The page as a citizen uses it: Debian's Chromium driven by Playwright (never a downloaded browser),
/// axe-core checking WCAG 2.1 A and AA on every state, screenshots kept in artifacts/screenshots.
/// </summary>
public sealed partial class RebookBrowserTests
{
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
        await app.ImportAsync("velbert", "slots", Enumerable.Range(0, 8).Select(i => new
        {
            officeId = i < 5 ? "mitte" : "neviges", serviceId = (string?)null, capacity = 2,
            start = DateTimeOffset.Parse(Full("13:00")).AddMinutes(15 * i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            end = DateTimeOffset.Parse(Full("13:15")).AddMinutes(15 * i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
        }).ToArray());
        var citizens = new[] { ("click", "09:00"), ("keyboard", "09:15"), ("decline", "09:30"), ("english", "09:45"), ("reinstated", "11:30") };
        await app.ImportAsync("velbert", "bookings", citizens.Select((c, i) => Booking(c.Item1, "mitte", "geburt", c.Item2, phone: $"0171 100000{i}")).ToArray());
        outage = await app.DeclareAsync("velbert", Declare("07:00", "12:00"));
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var outbox = await app.Admin().GetFromJsonAsync<JsonElement>("/api/dev/outbox");
        for (var i = 0; i < citizens.Length; i++)
        {
            var body = outbox.EnumerateArray().Single(m => m.GetProperty("to").GetString() == $"+49171100000{i}").GetProperty("body").GetString()!;
            tokens[citizens[i].Item1] = Scenario.LinkToken(body);
        }
        chromium = await HeadlessChromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (chromium is not null) await chromium.DisposeAsync();
        if (app is not null) await app.DisposeAsync();
    }

    Task<IPage> Open(string path, int width = 360) => chromium.OpenAsync(app.BaseUrl + path, width);

    static Task Screenshot(IPage page, string name) => HeadlessChromium.ScreenshotAsync(page, name);

    static Task AssertAccessible(IPage page, string state) => HeadlessChromium.AssertAccessibleAsync(page, state);

    [Test]
    public async Task Citizen_OpensTheLink_TapsASlot_AndSeesTheConfirmation()
    {
        var page = await Open($"/r/{tokens["click"]}");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ihr Termin muss leider ausfallen");
        await Screenshot(page, "open");
        await AssertAccessible(page, "open");

        await page.GetByRole(AriaRole.Button, new() { NameRegex = FirstSlot() }).First.ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ihr neuer Termin ist gebucht");
        await Assertions.Expect(page.Locator(".appointment")).ToContainTextAsync("Donnerstag, 6. Mai, 13:00 Uhr");
        await Screenshot(page, "rebooked");
        await AssertAccessible(page, "rebooked");
        var desktop = await Open($"/r/{tokens["click"]}", 1280);
        await Screenshot(desktop, "rebooked");
    }

    [Test]
    public async Task Citizen_BooksWithTheKeyboardOnly()
    {
        var page = await Open($"/r/{tokens["keyboard"]}");
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
        var decline = await Open($"/r/{tokens["decline"]}", 1280);
        await Screenshot(decline, "open");
        await decline.GetByRole(AriaRole.Button, new() { Name = "Ich brauche keinen neuen Termin" }).ClickAsync();
        await Assertions.Expect(decline.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sie brauchen keinen neuen Termin");
        await AssertAccessible(decline, "declined");

        var english = await Open($"/r/{tokens["english"]}?lang=en");
        await Assertions.Expect(english.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Sorry, your appointment cannot take place");
        await Screenshot(english, "open-en");
        await AssertAccessible(english, "English");

        var unknown = await Open("/r/AAAAAAAAAAAAAAAAAAAAAAAA");
        await AssertAccessible(unknown, "unknown");

        var resolved = await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{outage}/resolve", new { at = Full("11:00") });
        Assert.That(resolved.IsSuccessStatusCode, Is.True);
        await app.ScalarAsync<int>("UPDATE affected_bookings SET contact = 'notified'"); // as the dispatcher records a sent message
        await app.ProcessAsync();
        var reinstated = await Open($"/r/{tokens["reinstated"]}");
        await Assertions.Expect(reinstated.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Gute Nachricht: Ihr Termin findet doch statt");
        await Screenshot(reinstated, "reinstated");
        await AssertAccessible(reinstated, "reinstated");

        // The link runs out (its expiry moves into the past; the shared clock cannot go back for the other tests).
        await using (var connection = await app.Db.OpenAsync())
            await Dapper.SqlMapper.ExecuteAsync(connection, "UPDATE rebooking_links SET expires_at = @At WHERE token_hash = @Hash",
                new { At = app.Clock.GetUtcNow().AddMinutes(-1), Hash = Rebooking.Rebookings.RebookingLinks.Hash(tokens["english"]) });
        var expired = await Open($"/r/{tokens["english"]}");
        await Assertions.Expect(expired.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Dieser Link ist abgelaufen");
        await Screenshot(expired, "expired");
        await AssertAccessible(expired, "expired");
    }

    [GeneratedRegex("13:00 Uhr")]
    private static partial Regex FirstSlot();
}
