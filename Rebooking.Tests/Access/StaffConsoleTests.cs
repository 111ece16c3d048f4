using System.Net;
using System.Net.Http.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Access;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Access;

/// <summary>Sign-in, lockout, roles, tenants and CSRF for the staff console, against the in-memory app.</summary>
public sealed class StaffConsoleTests
{
    RebookingApp app = null!;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync(now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.PutTenantAsync("arnsberg");
        await ConsoleSession.AddAccountAsync(app, "clerk@velbert.example", Roles.Clerk, "velbert");
        await ConsoleSession.AddAccountAsync(app, "lead@velbert.example", Roles.Supervisor, "velbert");
        await ConsoleSession.AddAccountAsync(app, "clerk@arnsberg.example", Roles.Clerk, "arnsberg");
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    /// <summary>The page's text as a reader sees it (Razor writes umlauts as character references).</summary>
    static async Task<string> Html(HttpResponseMessage answer) => WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());

    /// <summary>The sign-in page's error text.</summary>
    static string Message(string html) => System.Text.RegularExpressions.Regex.Match(html, "id=\"signin-error\">([^<]*)<").Groups[1].Value;

    [Test]
    public async Task WrongPassword_AndUnknownAddress_GetTheSameAnswer_AndNoSession()
    {
        var session = new ConsoleSession(ConsoleSession.NewClient(app));
        foreach (var (email, password) in new[] { ("clerk@velbert.example", "wrong password!"), ("nobody@velbert.example", "correct horse battery") })
        {
            var answer = await session.SignInAttemptAsync(email, password);
            Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
            Assert.That(await Html(answer), Does.Contain("E-Mail-Adresse oder Passwort ist falsch"));
            Assert.That(answer.Headers.Contains("Set-Cookie") && answer.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("__Host-rebooking-staff=")), Is.False);
        }
        Assert.That((await session.Client.GetAsync("/staff")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "still signed out");
    }

    [Test]
    public async Task FiveFailures_LockTheAccount_TheRightPasswordIsRefusedUntilTheLockEnds()
    {
        var session = new ConsoleSession(ConsoleSession.NewClient(app));
        for (var i = 0; i < 4; i++)
            Assert.That(await Html(await session.SignInAttemptAsync("clerk@velbert.example", "wrong password!")),
                Does.Contain("Passwort ist falsch"));
        var fifth = await session.SignInAttemptAsync("clerk@velbert.example", "wrong password!");
        Assert.That(await Html(fifth), Does.Contain("Passwort ist falsch"));

        // Locked looks exactly like wrong or unknown to the caller; the text names the lock as a possible cause.
        var locked = await session.SignInAttemptAsync("clerk@velbert.example", "correct horse battery");
        var unknown = await session.SignInAttemptAsync("nobody@velbert.example", "correct horse battery");
        Assert.That(locked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(unknown.StatusCode, Is.EqualTo(locked.StatusCode));
        Assert.That(await Html(locked), Does.Contain("vorübergehend gesperrt"));
        Assert.That(Message(await Html(locked)), Is.EqualTo(Message(await Html(unknown))));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM staff_accounts WHERE email = 'clerk@velbert.example' AND locked_until IS NOT NULL"), Is.EqualTo(1));

        // Another account is not affected; after 15 minutes the right password works again and resets the count.
        await ConsoleSession.SignInAsync(app, "lead@velbert.example");
        app.Clock.Advance(TimeSpan.FromMinutes(16));
        await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        Assert.That(await app.ScalarAsync<int>("SELECT failed_attempts FROM staff_accounts WHERE email = 'clerk@velbert.example'"), Is.Zero);
    }

    [Test]
    public async Task PasswordsAreStoredAsPbkdf2Hashes_WithOwaspsIterationCount()
    {
        var stored = await app.ScalarAsync<string>("SELECT password_hash FROM staff_accounts WHERE email = 'clerk@velbert.example'");
        Assert.That(stored, Does.StartWith("pbkdf2-sha256$600000$"));
        Assert.That(stored, Does.Not.Contain("correct horse"));
        Assert.That(PasswordHash.Verify("correct horse battery", stored), Is.True);
        Assert.That(PasswordHash.Verify("correct horse batterY", stored), Is.False);
        Assert.That(PasswordHash.Verify("correct horse battery", "pbkdf2-sha256$1$bm90$YmFzZTY0"), Is.False, "a hash of another password");
        Assert.That(PasswordHash.Verify("x", "not a hash"), Is.False);
    }

    [Test]
    public async Task TheSessionCookie_IsHostOnly_Secure_HttpOnly_AndSameSiteStrict()
    {
        var session = new ConsoleSession(ConsoleSession.NewClient(app));
        var answer = await session.SignInAttemptAsync("clerk@velbert.example", "correct horse battery");
        var cookie = answer.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("__Host-rebooking-staff="));
        Assert.That(cookie.ToLowerInvariant(), Does.Contain("; secure").And.Contain("; httponly").And.Contain("samesite=strict").And.Contain("path=/"));
        Assert.That(cookie.ToLowerInvariant(), Does.Not.Contain("domain="));
    }

    [Test]
    public async Task Supervisor_SeesNoDeclareButton_AndGets403_OnTheDeclareForm_AndItsPost()
    {
        var supervisor = await ConsoleSession.SignInAsync(app, "lead@velbert.example");
        var home = await supervisor.Client.GetStringAsync("/staff");
        Assert.That(home, Does.Contain("Stadt Velbert"));
        Assert.That(home, Does.Not.Contain("/outages/new"));
        Assert.That((await supervisor.Client.GetAsync("/staff/tenants/velbert/outages/new")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var post = await supervisor.PostFormAsync("/staff", "/staff/tenants/velbert/outages",
            ("start", "2021-05-06T07:00"), ("end", "2021-05-06T18:00"), ("reason", "x"), ("publicMessage", "y"));
        Assert.That(post.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages"), Is.Zero);
    }

    [Test]
    public async Task AClerk_SeesNothingOfAnotherTenant()
    {
        var velbertOutage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        var arnsberg = await ConsoleSession.SignInAsync(app, "clerk@arnsberg.example");
        foreach (var path in new[]
        {
            $"/staff/outages/{velbertOutage}", $"/staff/outages/{velbertOutage}/live", $"/staff/outages/{velbertOutage}/calls",
            $"/staff/outages/{velbertOutage}/calls.csv", "/staff/tenants/velbert", "/staff/tenants/velbert/outages/new",
            "/staff/tenants/velbert/hotline?q=Erika",
        })
            Assert.That((await arnsberg.Client.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
        var resolve = await arnsberg.PostFormAsync("/staff", $"/staff/outages/{velbertOutage}/resolve");
        Assert.That(resolve.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages WHERE resolved_at IS NOT NULL"), Is.Zero);
        Assert.That(await arnsberg.Client.GetStringAsync("/staff"), Does.Not.Contain(velbertOutage.ToString()), "its own dashboard lists only its outages");
    }

    [Test]
    public async Task FormPosts_WithoutTheAntiforgeryToken_AreRefused_AndStoreNothing()
    {
        var clerk = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        var declare = await clerk.Client.PostAsync("/staff/tenants/velbert/outages", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["start"] = "2021-05-06T07:00", ["end"] = "2021-05-06T18:00", ["reason"] = "x", ["publicMessage"] = "y",
        }));
        Assert.That(declare.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        var resolve = await clerk.Client.PostAsync($"/staff/outages/{outage}/resolve", new FormUrlEncodedContent([]));
        Assert.That(resolve.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "a post that binds no form field needs the token too");
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages"), Is.EqualTo(1));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages WHERE resolved_at IS NOT NULL"), Is.Zero);
    }

    [Test]
    public async Task TheApi_DoesNotAcceptTheSessionCookie()
    {
        var clerk = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        Assert.That((await clerk.Client.GetAsync("/api/tenants/velbert/outages")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task SigningOut_EndsTheSession()
    {
        var clerk = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        var answer = await clerk.PostFormAsync("/staff", "/staff/logout");
        Assert.That(answer.Headers.Location?.ToString(), Is.EqualTo("/staff/login"));
        Assert.That((await clerk.Client.GetAsync("/staff")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    [Test]
    public async Task Declaring_InTheConsole_StoresWhatTheApiWould_InTheTenantsLocalTime()
    {
        await app.ImportAsync("velbert", "bookings", new[] { Booking("A-1", "mitte", "geburt", "09:00"), Booking("A-2", "mitte", "trauung", "10:00") });
        var clerk = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        (string, string)[] form =
        [
            ("start", "2021-05-06T07:00"), ("end", "2021-05-06T18:00"), ("exemptServiceIds", "trauung"),
            ("reason", "USV defekt"), ("publicMessage", "Ihr Termin fällt aus."), ("notify", "true"),
        ];
        var preview = await clerk.PostFormAsync("/staff/tenants/velbert/outages/new", "/staff/tenants/velbert/outages/preview", form);
        Assert.That(preview.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Html(preview), Does.Contain("1 Termine würden abgesagt."));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages"), Is.Zero, "a preview stores nothing");

        var declared = await clerk.PostFormAsync("/staff/tenants/velbert/outages/new", "/staff/tenants/velbert/outages", form);
        Assert.That(declared.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var id = declared.Headers.Location!.ToString()["/staff/outages/".Length..];
        var outage = await app.Admin().GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/tenants/velbert/outages/{id}");
        Assert.That(outage.GetProperty("start").GetString(), Is.EqualTo("2021-05-06T07:00:00+02:00"));
        Assert.That(outage.GetProperty("end").GetString(), Is.EqualTo("2021-05-06T18:00:00+02:00"));
        Assert.That(outage.GetProperty("exemptServiceIds")[0].GetString(), Is.EqualTo("trauung"));
        Assert.That(outage.GetProperty("createdBy").GetString(), Is.EqualTo("staff:clerk@velbert.example"));
    }

    [Test]
    public async Task AnInvalidDeclaration_IsAnsweredOnTheForm_WithEveryProblem_AndStoresNothing()
    {
        var clerk = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        var answer = await clerk.PostFormAsync("/staff/tenants/velbert/outages/new", "/staff/tenants/velbert/outages",
            ("start", "2021-05-06T18:00"), ("end", "2021-05-06T07:00"), ("serviceIds", "geburt"), ("exemptServiceIds", "geburt"), ("reason", ""), ("publicMessage", ""));
        var page = await Html(answer);
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(page, Does.Contain("Das Ende muss nach dem Beginn liegen.").And.Contain("Bitte einen internen Grund angeben.")
            .And.Contain("Bitte eine Nachricht an die Bürgerinnen und Bürger angeben.").And.Contain("zugleich betroffen und ausgenommen"));
        Assert.That(page, Does.Contain("value=\"06.05.2021 18:00\""), "what was typed is kept, shown the console's way");

        var gap = await clerk.PostFormAsync("/staff/tenants/velbert/outages/new", "/staff/tenants/velbert/outages",
            ("start", "2021-03-28T02:30"), ("end", "2021-03-28T12:00"), ("reason", "x"), ("publicMessage", "y"));
        Assert.That(await Html(gap), Does.Contain("Diese Uhrzeit gibt es wegen der Umstellung auf Sommerzeit nicht."));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM outages"), Is.Zero);
    }

    [Test]
    public async Task ThePages_CarryAStrictContentSecurityPolicy_AndAreNotCached()
    {
        var clerk = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        var page = await clerk.Client.GetAsync("/staff");
        Assert.That(page.Headers.GetValues("Content-Security-Policy").Single(), Does.Contain("script-src 'self'").And.Contain("default-src 'none'"));
        Assert.That(page.Headers.CacheControl?.NoStore, Is.True);
    }
}
