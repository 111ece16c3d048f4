using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rebooking.Integration;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Integration;

/// <summary>The tenant admin's webhook pages in the staff console: list, delivery log, redelivery with antiforgery; axe-clean.</summary>
public sealed class WebhookConsoleTests
{
    RebookingApp app = null!;
    WebhookReceiver receiver = null!;
    Guid webhook;

    /// <summary>With <paramref name="kestrel"/> for a browser; without for <see cref="ConsoleSession"/>, which talks to the in-memory server.</summary>
    async Task StartAsync(bool kestrel = false)
    {
        app = await RebookingApp.StartAsync(settings: new Dictionary<string, string?>
        {
            // 5 s per request: on a loaded machine a 1 s limit turned late 204s into timeouts and resends (see decisions.md).
            ["Webhooks:AllowLoopback"] = "true", ["Webhooks:Timeout"] = "00:00:05", ["Webhooks:Lease"] = "00:02:00",
        }, now: DateTimeOffset.Parse("2021-05-06T06:00:00+02:00"), kestrel: kestrel);
        await app.PutTenantAsync("velbert");
        receiver = await WebhookReceiver.StartAsync();
        var created = await (await app.Admin().PostAsJsonAsync("/api/tenants/velbert/webhooks", new { url = receiver.Url, description = "TEVIS Velbert" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        webhook = created.GetProperty("id").GetGuid();
        receiver.UseSecret(created.GetProperty("secret").GetString()!);
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("A-2021-0506-017", "mitte", "geburt", "08:00", phone: null), Booking("A-2021-0506-018", "mitte", "geburt", "09:00", phone: null),
            Booking("A-2021-0506-019", "mitte", "geburt", "10:00", phone: null),
        });
        await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        await receiver.AnswerAsync(500);
        await app.Services.GetRequiredService<WebhookDispatcher>().DeliverDueAsync();
        await ConsoleSession.AddAccountAsync(app, "admin@velbert.example", "admin", "velbert");
        await ConsoleSession.AddAccountAsync(app, "clerk@velbert.example", "clerk", "velbert");
    }

    [TearDown]
    public async Task Stop()
    {
        if (receiver is not null) await receiver.DisposeAsync();
        if (app is not null) await app.DisposeAsync();
    }

    [Test]
    public async Task AnAdmin_SeesTheWebhookAndItsFailures_AndRedeliversEverythingFromAChange()
    {
        await StartAsync();
        var admin = await ConsoleSession.SignInAsync(app, "admin@velbert.example");
        var list = WebUtility.HtmlDecode(await admin.Client.GetStringAsync("/staff/tenants/velbert/webhooks"));
        Assert.That(list, Does.Contain(receiver.Url).And.Contain("TEVIS Velbert").And.Contain("aktiv").And.Contain("Zustellung schlägt fehl seit"));

        var logPage = $"/staff/tenants/velbert/webhooks/{webhook}";
        var log = WebUtility.HtmlDecode(await admin.Client.GetStringAsync(logPage));
        Assert.That(log, Does.Contain("A-2021-0506-017").And.Contain("HTTP 500").And.Contain("ausstehend").And.Contain("06.05.2021, 06:00"));

        var first = await app.ScalarAsync<long>("SELECT MIN(position) FROM webhook_deliveries");
        var withoutToken = await admin.Client.PostAsync($"{logPage}/redeliver", new FormUrlEncodedContent([new("changeId", ChangeCursor.Format(first))]));
        Assert.That(withoutToken.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "antiforgery");

        await receiver.AnswerAsync(204);
        var redeliver = await admin.PostFormAsync(logPage, $"{logPage}/redeliver", ("changeId", ChangeCursor.Format(first)), ("andAfter", "true"));
        Assert.That(redeliver.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(redeliver.Headers.Location?.ToString(), Is.EqualTo($"{logPage}?redelivered=3"));
        await app.Services.GetRequiredService<WebhookDispatcher>().DeliverDueAsync();
        Assert.That(await admin.Client.GetStringAsync(logPage), Does.Contain("zugestellt").And.Not.Contain("ausstehend"));
        // Each of the three changes arrived; a second arrival may only be a redelivery with the same webhook-id.
        var delivered = receiver.Log().Where(r => r.Status == 204).ToList();
        Assert.That(delivered.Select(r => r.Id).Distinct().Count(), Is.EqualTo(3), string.Join("\n", delivered.Select(r => $"{r.Id} {r.Timestamp}")));
        Assert.That(delivered.All(r => r.Valid), Is.True, "every delivery is signed");
    }

    [Test]
    public async Task AClerk_MayNotSeeOrRedeliver()
    {
        await StartAsync();
        var clerk = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        Assert.That((await clerk.Client.GetAsync("/staff/tenants/velbert/webhooks")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await clerk.Client.GetAsync($"/staff/tenants/velbert/webhooks/{webhook}")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task TheWebhookPages_AreAxeClean_WithADisabledWebhookShownAsSuch()
    {
        await StartAsync(kestrel: true);
        app.Clock.Advance(TimeSpan.FromDays(3));
        await app.Services.GetRequiredService<WebhookDispatcher>().DeliverDueAsync();
        await using var chromium = await HeadlessChromium.LaunchAsync();
        var context = await chromium.NewContextAsync(1280);
        var page = await chromium.OpenAsync(app.BaseUrl + "/staff/login", 1280, context);
        await page.GetByLabel("E-Mail-Adresse").FillAsync("admin@velbert.example");
        await page.GetByLabel("Passwort").FillAsync("correct horse battery");
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        await page.GotoAsync(app.BaseUrl + "/staff/tenants/velbert/webhooks");

        await Assertions.Expect(page.GetByText("abgeschaltet seit")).ToBeVisibleAsync();
        await HeadlessChromium.AssertAccessibleAsync(page, "webhooks");
        await HeadlessChromium.ScreenshotAsync(page, "staff-webhooks");

        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("Zustellprotokoll") }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Zustellprotokoll");
        await HeadlessChromium.AssertAccessibleAsync(page, "delivery log");
        await HeadlessChromium.ScreenshotAsync(page, "staff-webhook-deliveries");

        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Diese und alle späteren erneut senden") }).Last.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("3 Zustellungen");
        await HeadlessChromium.AssertAccessibleAsync(page, "redelivered");
        await HeadlessChromium.ScreenshotAsync(page, "staff-webhook-redelivered");
    }
}
