using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rebooking.Access;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Operations;

/// <summary>Hangfire's dashboard at /hangfire, as operators and everybody else meet it, over an Api with its in-process worker.</summary>
public sealed partial class JobsDashboardTests
{
    RebookingApp app = null!;

    [SetUp]
    public async Task StartAsync()
    {
        app = await RebookingApp.StartAsync(settings: new Dictionary<string, string?> { ["Worker:InProcess"] = "true" });
        await app.PutTenantAsync("velbert");
        await ConsoleSession.AddAccountAsync(app, "it@kreis.example", Roles.Admin, Roles.AllTenants);
        await ConsoleSession.AddAccountAsync(app, "admin@velbert.example", Roles.Admin, "velbert");
        await ConsoleSession.AddAccountAsync(app, "clerk@velbert.example", Roles.Clerk, "velbert");
        await ConsoleSession.AddAccountAsync(app, "lead@velbert.example", Roles.Supervisor, "velbert");
    }

    [TearDown]
    public async Task StopAsync() => await app.DisposeAsync();

    [Test]
    public async Task OnlyAnAdminOfAllTenants_GetsTheDashboard_OtherStaffGet403_AnonymousUsersAreSentToSignIn()
    {
        var admin = await ConsoleSession.SignInAsync(app, "it@kreis.example");
        var page = await admin.Client.GetAsync("/hangfire");
        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("Rebooking – Hangfire"));
        Assert.That(await admin.Client.GetStringAsync("/staff"), Does.Contain("href=\"/hangfire\""), "linked from the admin overview");

        foreach (var other in new[] { "admin@velbert.example", "clerk@velbert.example", "lead@velbert.example" })
        {
            var session = await ConsoleSession.SignInAsync(app, other);
            Assert.That((await session.Client.GetAsync("/hangfire")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), other);
            Assert.That(await session.Client.GetStringAsync("/staff"), Does.Not.Contain("href=\"/hangfire\""), other);
            Assert.That((await session.Client.GetAsync("/hangfire/jobs/succeeded")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), other);
        }

        var anonymous = await ConsoleSession.NewClient(app).GetAsync("/hangfire/recurring");
        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(anonymous.Headers.Location!.ToString(), Does.Contain("/staff/login").And.Contain("returnUrl=%2Fhangfire%2Frecurring"));

        var keyOnly = ConsoleSession.NewClient(app);
        keyOnly.DefaultRequestHeaders.Add("X-Api-Key", RebookingApp.AdminKey);
        Assert.That((await keyOnly.GetAsync("/hangfire")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the admin API key is not the console's cookie");
    }

    [Test]
    public async Task APostFromTheDashboard_IsRefused_AndChangesNothing()
    {
        var admin = await ConsoleSession.SignInAsync(app, "it@kreis.example");
        var page = await admin.Client.GetStringAsync("/hangfire/recurring");
        Assert.That(page, Does.Contain("sweep"));
        var header = CsrfHeader().Match(page);
        var token = CsrfToken().Match(page);
        Assert.That(header.Success && token.Success, Is.True, "the dashboard hands out an antiforgery token, so the refusal below is the read-only rule");

        var remove = new HttpRequestMessage(HttpMethod.Post, "/hangfire/recurring/remove")
        {
            Content = new FormUrlEncodedContent([new("jobs[]", "sweep"), new("jobs[]", RetentionId)]),
        };
        remove.Headers.Add(header.Groups[1].Value, WebUtility.HtmlDecode(token.Groups[1].Value));
        var answer = await admin.Client.SendAsync(remove);

        Assert.That((int)answer.StatusCode, Is.EqualTo(401).Or.EqualTo(403), "Hangfire answers a command on a read-only dashboard with 401");
        var after = await admin.Client.GetStringAsync("/hangfire/recurring");
        Assert.That(after, Does.Contain("sweep").And.Contain(RetentionId), "both recurring jobs are still there");
        Assert.That(after, Does.Not.Contain("js-jobs-list-command"), "no command buttons on a read-only dashboard");
    }

    [Test]
    public async Task AfterAnOutageWasProcessedAndSent_NoDashboardPageShowsAPhoneNumberAnEmailAddressANameOrALinkToken()
    {
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("A-1", "mitte", "geburt", "09:00", phone: "0171 5550101"),
            Booking("A-2", "mitte", "geburt", "09:30", phone: null, email: "anna.beispiel@example.org"),
            Booking("A-3", "langenberg", "personalausweis", "10:00", phone: "0172 5550303", email: "bernd.muster@example.org"),
        });
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.WaitForStatsAsync("velbert", outage,
            s => s.GetProperty("processingComplete").GetBoolean() && s.GetProperty("contact").GetProperty("pending").GetInt32() == 0, TimeSpan.FromSeconds(30));
        var outbox = await app.Admin().GetFromJsonAsync<JsonElement>("/api/dev/outbox");
        var tokens = outbox.EnumerateArray().Select(m => LinkToken(m.GetProperty("body").GetString()!)).Distinct().ToList();
        Assert.That(tokens, Has.Count.EqualTo(3), "every citizen got a link");
        var personal = new List<string> { "5550101", "5550303", "anna.beispiel", "bernd.muster", "example.org", "Bürger A-", "B%C3%BCrger", "Thomasstra" };
        personal.AddRange(tokens);
        personal.AddRange(outbox.EnumerateArray().Select(m => m.GetProperty("to").GetString()!));

        var admin = await ConsoleSession.SignInAsync(app, "it@kreis.example");
        var pages = await CrawlAsync(admin.Client, "/hangfire");

        Assert.That(pages.Keys.Count(p => p.StartsWith("/hangfire/jobs/details/", StringComparison.Ordinal)), Is.GreaterThanOrEqualTo(2),
            "the crawl reached the jobs' own pages: " + string.Join(", ", pages.Keys));
        Assert.That(pages.Values.Any(body => body.Contains(outage.ToString(), StringComparison.OrdinalIgnoreCase)), Is.True,
            "a convergence job shows its argument: the outage id, and nothing else");
        foreach (var (path, body) in pages)
            foreach (var value in personal)
                Assert.That(body, Does.Not.Contain(value).IgnoreCase, $"{path} shows personal data");
        Assert.That(pages.Values, Has.None.Contains(app.Database.ConnectionString), "the connection string is never shown");
    }

    const string RetentionId = "data-retention";

    /// <summary>Every page under <paramref name="start"/> reachable by links, with its text (at most 400 pages).</summary>
    static async Task<Dictionary<string, string>> CrawlAsync(HttpClient client, string start)
    {
        var pages = new Dictionary<string, string>();
        var next = new Queue<string>([start]);
        while (next.TryDequeue(out var path) && pages.Count < 400)
        {
            if (pages.ContainsKey(path)) continue;
            var answer = await client.GetAsync(path);
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
            var body = await answer.Content.ReadAsStringAsync();
            pages[path] = body;
            foreach (Match link in Link().Matches(body))
            {
                var target = WebUtility.HtmlDecode(link.Groups[1].Value).Split('#')[0];
                if (!pages.ContainsKey(target)) next.Enqueue(target);
            }
        }
        return pages;
    }

    [GeneratedRegex("href=\"(/hangfire(?:/[^\"]*)?)\"")]
    private static partial Regex Link();

    [GeneratedRegex("<meta name=\"csrf-header\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfHeader();

    [GeneratedRegex("<meta name=\"csrf-token\" content=\"([^\"]+)\"")]
    private static partial Regex CsrfToken();
}
