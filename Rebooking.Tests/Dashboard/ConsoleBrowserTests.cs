using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Rebooking.Tenants;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Dashboard;

/// <summary>
/// The console as clerks, supervisors and an admin use it, in Debian's Chromium against the real Api process
/// in its embedded default (demo tenant with 167 bookings, in-process worker, development outbox). axe-core on
/// every page; screenshots in artifacts/screenshots.
/// </summary>
public sealed partial class ConsoleBrowserTests
{
    const string Password = "demo-password-for-tests";
    const string AdminEmail = "admin@region.example";
    const string AdminPassword = "admin-password-for-tests";
    AppProcess api = null!;
    HeadlessChromium chromium = null!;
    string baseUrl = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        var directory = Directory.CreateTempSubdirectory("rebooking-console-").FullName;
        var environment = new Dictionary<string, string?>
        {
            ["Demo__AdminApiKey"] = RebookingApp.AdminKey, ["Demo__StaffPassword"] = Password, ["Rebooking__RequestsPerMinutePerClient"] = "0",
            ["Worker__PollInterval"] = "00:00:03",
        };
        // The first admin of a regional provider comes from the command line, password on standard input.
        var (exit, output) = await AppProcess.RunAsync("Rebooking.Api", directory, environment, AdminPassword,
            "staff", "add", "--email", AdminEmail, "--name", "Regio Admin", "--role", "admin", "--tenant", "*", "--password-stdin");
        Assert.That(exit, Is.EqualTo(0), output);
        Assert.That(output, Does.Not.Contain(AdminPassword), "a password given on stdin is not echoed");

        baseUrl = $"http://127.0.0.1:{AppProcess.FreePort()}";
        api = AppProcess.Start("Rebooking.Api", directory, environment, "--urls", baseUrl);
        await api.WaitForHealthyAsync(baseUrl + "/health", TimeSpan.FromSeconds(60));
        chromium = await HeadlessChromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        if (chromium is not null) await chromium.DisposeAsync();
        if (api is not null) await api.DisposeAsync();
    }

    async Task<IPage> SignIn(string email, string password, int width = 1280)
    {
        var context = await chromium.NewContextAsync(width);
        var page = await chromium.OpenAsync(baseUrl + "/staff", width, context);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/staff/login"));
        await page.GetByLabel("E-Mail-Adresse").FillAsync(email);
        await page.GetByLabel("Passwort").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Anmelden" }).ClickAsync();
        return page;
    }

    static Task Accessible(IPage page, string state) => HeadlessChromium.AssertAccessibleAsync(page, state);

    static Task Screenshot(IPage page, string name) => HeadlessChromium.ScreenshotAsync(page, name);

    [Test]
    public async Task Clerk_DeclaresTheDemoDay_Previews167_Confirms_AndWatchesTheFiguresArriveWithoutReloading()
    {
        var login = await chromium.OpenAsync(baseUrl + "/staff/login", 360);
        await Accessible(login, "sign-in");
        await Screenshot(login, "staff-login");

        var page = await SignIn(DemoTenant.ClerkEmail, Password);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Stadt Castrop-Rauxel");
        await Accessible(page, "tenant dashboard");

        await page.GetByRole(AriaRole.Link, new() { Name = "Ausfall melden" }).First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ausfall melden");
        await Accessible(page, "declare form");

        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var day = DemoTenant.NextWorkingDay(DateTimeOffset.UtcNow, zone);
        // Dates are typed the way the console's language writes them, whatever the browser's own locale.
        await Assertions.Expect(page.GetByLabel("Beginn")).ToHaveAttributeAsync("placeholder", "TT.MM.JJJJ hh:mm");
        await page.GetByLabel("Beginn").FillAsync($"{day:dd.MM.yyyy} 00:00");
        await page.GetByLabel("Ende", new() { Exact = true }).FillAsync($"{day.AddDays(1):dd.MM.yyyy} 00:00");
        // Forgetting the texts is answered on the form, with a summary that links to the fields.
        await page.GetByRole(AriaRole.Button, new() { Name = "Weiter zur Vorschau" }).ClickAsync();
        await Assertions.Expect(page.Locator(".summary")).ToContainTextAsync("Bitte einen internen Grund angeben.");
        await Accessible(page, "declare form with errors");
        await Screenshot(page, "staff-declare-errors");

        await page.GetByLabel("Interner Grund").FillAsync("Rechenzentrum des Kreises ausgefallen");
        await page.GetByLabel("Nachricht an Bürgerinnen und Bürger").FillAsync("Wegen einer technischen Störung kann Ihr Termin nicht stattfinden.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Weiter zur Vorschau" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-figure=preview-affected]")).ToHaveTextAsync("167 Termine würden abgesagt.");
        await Accessible(page, "preview");
        await Screenshot(page, "staff-preview");

        await page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("167 Termine absagen") }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/staff/outages/[0-9a-f-]{36}$"));
        var outageUrl = page.Url;
        var navigations = 0;
        page.FrameNavigated += (_, frame) => { if (frame == page.MainFrame) navigations++; };
        var liveFetches = 0;
        page.Response += (_, response) => { if (response.Url.EndsWith("/live", StringComparison.Ordinal) && response.Status == 200) liveFetches++; };

        // The worker (polling every 3 s) cancels and notifies; staff.js swaps the figures in.
        await Assertions.Expect(page.Locator("[data-figure=affected]")).ToHaveTextAsync("167", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator("[data-figure=pending]")).ToHaveTextAsync("0", new() { Timeout = 60_000 });
        Assert.That(navigations, Is.Zero, "the figures arrived without a page load");
        Assert.That(liveFetches, Is.GreaterThan(0), "they came from the live fragment");
        await Assertions.Expect(page.Locator("svg.chart polyline")).ToHaveCountAsync(3);
        await Accessible(page, "outage");
        await Screenshot(page, "staff-outage");

        var unreachable = int.Parse(await page.Locator("[data-figure=unreachable]").TextContentAsync() ?? "");
        Assert.That(unreachable, Is.GreaterThan(0), "the demo has citizens without a usable contact");
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Als CSV herunterladen (Excel)" }).ClickAsync());
        var csv = await File.ReadAllTextAsync((await download.PathAsync())!, Encoding.UTF8);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines[0].TrimStart('\uFEFF').Trim(), Is.EqualTo("bookingRef;name;phone;email;start;officeId;serviceId;reason;calls;lastCall;lastCallResult"));
        Assert.That(lines, Has.Length.EqualTo(unreachable + 1), "one row per unreachable citizen");
        Assert.That(download.SuggestedFilename, Does.StartWith("rueckrufliste-castrop-rauxel-"));

        await page.GetByRole(AriaRole.Link, new() { Name = "Liste ansehen und drucken" }).ClickAsync();
        await Assertions.Expect(page.Locator("tbody tr")).ToHaveCountAsync(unreachable);
        await Accessible(page, "call list");
        await Screenshot(page, "staff-call-list");
        var reference = (await page.Locator("tbody tr").First.Locator("td").Nth(5).TextContentAsync())!.Trim();

        // The hotline: the first citizen on the list calls; the clerk finds them and books the first offer.
        await page.GotoAsync(baseUrl + "/staff/tenants/castrop-rauxel/hotline");
        await page.GetByLabel("Vorgangsnummer oder Name").FillAsync(reference);
        await page.GetByRole(AriaRole.Button, new() { Name = "Suchen" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "1 Treffer" })).ToBeVisibleAsync();
        await Accessible(page, "hotline search");
        await page.Locator("tbody a").First.ClickAsync();
        await Accessible(page, "hotline booking");
        await page.Locator(".offers button").First.ClickAsync();
        await Assertions.Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("Neuer Termin:");
        await Screenshot(page, "staff-hotline-booked");
        await page.GotoAsync(outageUrl);
        await Assertions.Expect(page.Locator("[data-figure=rebooked]")).ToHaveTextAsync("1");

        // The public status page shows the message, no sign-in needed, nothing personal.
        var status = await chromium.OpenAsync(baseUrl + "/status/castrop-rauxel", 360);
        await Assertions.Expect(status.Locator("main")).ToContainTextAsync("Wegen einer technischen Störung kann Ihr Termin nicht stattfinden.");
        Assert.That(await status.Locator("main").TextContentAsync(), Does.Not.Contain(reference));
        await Accessible(status, "public status");
        await Screenshot(status, "status-page");
    }

    [Test]
    public async Task Supervisor_SeesTheFigures_ButNoDeclareButton()
    {
        var page = await SignIn(DemoTenant.SupervisorEmail, Password, 360);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Stadt Castrop-Rauxel");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Ausfall melden" })).ToHaveCountAsync(0);
        await Accessible(page, "supervisor dashboard");
        await Screenshot(page, "staff-supervisor");
        var form = await page.GotoAsync(baseUrl + "/staff/tenants/castrop-rauxel/outages/new");
        Assert.That(form!.Status, Is.EqualTo(403));
    }

    [Test]
    public async Task RegionalAdmin_SeesEveryTenantInTheOverview_InEnglishOnRequest()
    {
        var page = await SignIn(AdminEmail, AdminPassword);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Alle Kommunen");
        // The demo tenant is listed while one of the other tests' outages runs there, and counted as quiet otherwise.
        var listed = await page.GetByRole(AriaRole.Link, new() { Name = "Stadt Castrop-Rauxel" }).CountAsync();
        await Assertions.Expect(page.Locator("#quiet-tenants")).ToHaveTextAsync($"Weitere Kommunen ohne laufenden Ausfall: {1 - listed}");
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("All municipalities");
        await Accessible(page, "overview");
        await Screenshot(page, "staff-overview");

        // The operators' way into Hangfire's dashboard (Hangfire's own page: looked at, not held to our axe rules).
        await page.GetByRole(AriaRole.Link, new() { Name = "Background jobs (Hangfire dashboard, read-only)" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/hangfire$"));
        await Assertions.Expect(page.GetByText("Rebooking – Hangfire").First).ToBeVisibleAsync();
        await Screenshot(page, "hangfire-dashboard");
        await page.GotoAsync(baseUrl + "/hangfire/recurring");
        await Assertions.Expect(page.GetByText("sweep").First).ToBeVisibleAsync();
        await Screenshot(page, "hangfire-recurring");
    }
}
