using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Rebooking.Access;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Access;

/// <summary>Staff accounts managed in the console: the whole cycle, who may do what, CSRF, audit and the password rules.</summary>
public sealed partial class AccountManagementTests
{
    RebookingApp app = null!;
    const string NewPassword = "vier unabhängige Wörter hier";

    [SetUp]
    public async Task Start()
    {
        // The full cycle signs in more often than the sign-in rate limit allows per account; that limit has tests of its own.
        app = await RebookingApp.StartAsync(settings: new Dictionary<string, string?>
            {
                ["RateLimits:SignInPerMinutePerAccount"] = "0", ["RateLimits:SignInPerMinutePerAddress"] = "0",
            },
            now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.PutTenantAsync("arnsberg");
        await ConsoleSession.AddAccountAsync(app, "it@region.example", Roles.Admin, Roles.AllTenants);
        await ConsoleSession.AddAccountAsync(app, "admin@velbert.example", Roles.Admin, "velbert");
        await ConsoleSession.AddAccountAsync(app, "clerk@velbert.example", Roles.Clerk, "velbert");
        await ConsoleSession.AddAccountAsync(app, "lead@velbert.example", Roles.Supervisor, "velbert");
        await ConsoleSession.AddAccountAsync(app, "clerk@arnsberg.example", Roles.Clerk, "arnsberg");
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    static async Task<string> Html(HttpResponseMessage answer) => WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());

    Task<string> IdOf(string email) => app.ScalarAsync<string>("SELECT id FROM staff_accounts WHERE email = @Email", new { Email = email });

    static string OneTimePassword(string page) => OneTimePasswordCode().Match(page) is { Success: true } m
        ? WebUtility.HtmlDecode(m.Groups[1].Value)
        : throw new AssertionException("No one-time password on the page:\n" + page);

    [GeneratedRegex("id=\"one-time-password\">([^<]+)<")]
    private static partial Regex OneTimePasswordCode();

    [Test]
    public async Task TheFullCycle_Create_OneTimeSignIn_ForcedChange_Disable_Enable_Reset_Unlock_WorksThroughTheConsole_AndIsAudited()
    {
        var admin = await ConsoleSession.SignInAsync(app, "admin@velbert.example");

        // Create: the one-time password is shown once, only its hash is stored, and it must be changed.
        var created = await admin.PostFormAsync("/staff/accounts/new", "/staff/accounts",
            ("name", "Neue Kollegin"), ("email", "neu@velbert.example"), ("role", Roles.Clerk), ("tenant", "velbert"));
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.OK), await created.Content.ReadAsStringAsync());
        Assert.That(created.Headers.CacheControl?.NoStore, Is.True, "the page with the password is not cached");
        var oneTime = OneTimePassword(await created.Content.ReadAsStringAsync());
        Assert.That(oneTime, Has.Length.GreaterThanOrEqualTo(PasswordPolicy.MinLength));
        Assert.That(await app.ScalarAsync<int>("SELECT must_change_password FROM staff_accounts WHERE email = 'neu@velbert.example'"), Is.EqualTo(1));
        Assert.That(await Html(await admin.Client.GetAsync("/staff/accounts")), Does.Contain("neu@velbert.example").And.Contain("Einmalpasswort"));

        // Sign in with it: every page leads to the password form until a new password is set.
        var user = new ConsoleSession(ConsoleSession.NewClient(app));
        var signIn = await user.SignInAttemptAsync("neu@velbert.example", oneTime);
        Assert.That(signIn.Headers.Location?.ToString(), Is.EqualTo("/staff/password"));
        var home = await user.Client.GetAsync("/staff");
        Assert.That(home.Headers.Location?.ToString(), Is.EqualTo("/staff/password"), "forced to change first");
        Assert.That(await Html(await user.Client.GetAsync("/staff/password")), Does.Contain("Einmalpasswort angemeldet"));
        var common = await user.PostFormAsync("/staff/password", "/staff/password", ("current", oneTime), ("password", "Passwort2024!!"), ("confirm", "Passwort2024!!"));
        Assert.That(common.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Html(common), Does.Contain("zu verbreitet"));
        var changed = await user.PostFormAsync("/staff/password", "/staff/password", ("current", oneTime), ("password", NewPassword), ("confirm", NewPassword));
        Assert.That(changed.Headers.Location?.ToString(), Is.EqualTo("/staff"), await changed.Content.ReadAsStringAsync());
        Assert.That((await user.Client.GetAsync("/staff")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "this session continues");
        Assert.That((await new ConsoleSession(ConsoleSession.NewClient(app)).SignInAttemptAsync("neu@velbert.example", oneTime)).StatusCode,
            Is.EqualTo(HttpStatusCode.Unauthorized), "the one-time password is spent");

        // Disable: the open session stops at its next request, and signing in looks like a wrong password.
        var id = await IdOf("neu@velbert.example");
        var disabled = await admin.PostFormAsync("/staff/accounts", $"/staff/accounts/{id}/disable");
        Assert.That(disabled.Headers.Location?.ToString(), Is.EqualTo("/staff/accounts?done=disabled"));
        var after = await user.Client.GetAsync("/staff");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(after.Headers.Location?.ToString(), Does.Contain("/staff/login"));
        var refused = await new ConsoleSession(ConsoleSession.NewClient(app)).SignInAttemptAsync("neu@velbert.example", NewPassword);
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await Html(refused), Does.Contain("E-Mail-Adresse oder Passwort ist falsch"), "a disabled account is refused like an unknown one");

        // Enable: the own password works again.
        await admin.PostFormAsync("/staff/accounts", $"/staff/accounts/{id}/enable");
        var again = await ConsoleSession.SignInAsync(app, "neu@velbert.example", NewPassword);
        Assert.That((await again.Client.GetAsync("/staff")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Reset: a new one-time password, the open session ends, the next sign-in must change it.
        var reset = await admin.PostFormAsync("/staff/accounts", $"/staff/accounts/{id}/reset");
        var second = OneTimePassword(await reset.Content.ReadAsStringAsync());
        Assert.That(second, Is.Not.EqualTo(oneTime));
        Assert.That((await again.Client.GetAsync("/staff")).Headers.Location?.ToString(), Does.Contain("/staff/login"), "reset ends open sessions");
        var afterReset = await new ConsoleSession(ConsoleSession.NewClient(app)).SignInAttemptAsync("neu@velbert.example", second);
        Assert.That(afterReset.Headers.Location?.ToString(), Is.EqualTo("/staff/password"));

        // Unlock: five failures lock the account; the admin lifts the lock before the 15 minutes are over.
        var guesser = new ConsoleSession(ConsoleSession.NewClient(app));
        for (var i = 0; i < 5; i++) await guesser.SignInAttemptAsync("neu@velbert.example", "falsches passwort " + i);
        var whileLocked = await guesser.SignInAttemptAsync("neu@velbert.example", second);
        Assert.That(whileLocked.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), "the right password is refused while the account is locked");
        Assert.That(await Html(whileLocked), Does.Contain("vorübergehend gesperrt"));
        Assert.That(await Html(await admin.Client.GetAsync("/staff/accounts")), Does.Contain("gesperrt (Fehlversuche)"));
        var unlocked = await admin.PostFormAsync("/staff/accounts", $"/staff/accounts/{id}/unlock");
        Assert.That(unlocked.Headers.Location?.ToString(), Is.EqualTo("/staff/accounts?done=unlocked"));
        Assert.That((await guesser.SignInAttemptAsync("neu@velbert.example", second)).Headers.Location?.ToString(), Is.EqualTo("/staff/password"));

        // Audit: who, what, when for each step; never a password.
        await using var connection = await app.Db.OpenAsync();
        var rows = (await connection.QueryAsync<(string Actor, string Action, string? Subject, string? Detail, string? TenantId)>(
            "SELECT actor, action, subject, detail, tenant_id FROM audit_log WHERE action LIKE 'staff.%' AND subject = @Id ORDER BY id", new { Id = id })).ToList();
        Assert.That(rows.Select(r => r.Action), Is.EqualTo(new[]
        {
            "staff.created", "staff.password-changed", "staff.disabled", "staff.enabled", "staff.password-reset", "staff.unlocked",
        }));
        Assert.That(rows.Where(r => r.Action != "staff.password-changed").Select(r => r.Actor), Is.All.EqualTo("staff:admin@velbert.example"));
        Assert.That(rows.Single(r => r.Action == "staff.password-changed").Actor, Is.EqualTo("staff:neu@velbert.example"));
        Assert.That(rows.Select(r => r.TenantId), Is.All.EqualTo("velbert"));
        var everything = string.Join("|", await connection.QueryAsync<string>("SELECT actor || action || COALESCE(subject, '') || COALESCE(detail, '') FROM audit_log"));
        Assert.That(everything, Does.Not.Contain(oneTime).And.Not.Contain(second).And.Not.Contain(NewPassword));
    }

    [Test]
    public async Task ClerksAndSupervisors_Get403_OnEveryAccountPageAndPost()
    {
        var target = await IdOf("clerk@arnsberg.example");
        foreach (var email in new[] { "clerk@velbert.example", "lead@velbert.example" })
        {
            var session = await ConsoleSession.SignInAsync(app, email);
            foreach (var path in new[] { "/staff/accounts", "/staff/accounts/new" })
                Assert.That((await session.Client.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), $"{email} {path}");
            foreach (var change in new[] { "disable", "enable", "unlock", "reset" })
                Assert.That((await session.PostFormAsync("/staff", $"/staff/accounts/{target}/{change}")).StatusCode,
                    Is.EqualTo(HttpStatusCode.Forbidden), $"{email} {change}");
            var create = await session.PostFormAsync("/staff", "/staff/accounts",
                ("name", "X"), ("email", "x@velbert.example"), ("role", Roles.Admin), ("tenant", "velbert"));
            Assert.That(create.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), email);
        }
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM staff_accounts WHERE email = 'x@velbert.example'"), Is.Zero);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM staff_accounts WHERE disabled = 1 OR must_change_password = 1"), Is.Zero);
    }

    [Test]
    public async Task ATenantsAdmin_ManagesOnlyItsOwnTenantsAccounts_TheRegionalAdminEveryAccount()
    {
        var velbert = await ConsoleSession.SignInAsync(app, "admin@velbert.example");
        var list = await Html(await velbert.Client.GetAsync("/staff/accounts"));
        Assert.That(list, Does.Contain("clerk@velbert.example").And.Not.Contain("clerk@arnsberg.example").And.Not.Contain("it@region.example"));
        var form = await Html(await velbert.Client.GetAsync("/staff/accounts/new"));
        Assert.That(form, Does.Contain("value=\"velbert\"").And.Not.Contain("value=\"arnsberg\"").And.Not.Contain("value=\"*\""));

        foreach (var (email, change) in new[] { ("clerk@arnsberg.example", "disable"), ("clerk@arnsberg.example", "reset"), ("it@region.example", "disable") })
            Assert.That((await velbert.PostFormAsync("/staff/accounts", $"/staff/accounts/{await IdOf(email)}/{change}")).StatusCode,
                Is.EqualTo(HttpStatusCode.Forbidden), $"{email} {change}");
        Assert.That((await velbert.PostFormAsync("/staff/accounts", "/staff/accounts/no-such-account/disable")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        foreach (var tenant in new[] { "arnsberg", Roles.AllTenants })
            Assert.That((await velbert.PostFormAsync("/staff/accounts/new", "/staff/accounts",
                ("name", "X"), ("email", $"x-{tenant.Length}@example.org"), ("role", Roles.Admin), ("tenant", tenant))).StatusCode,
                Is.EqualTo(HttpStatusCode.Forbidden), tenant);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM staff_accounts WHERE email LIKE 'x-%'"), Is.Zero);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM staff_accounts WHERE disabled = 1 OR must_change_password = 1"), Is.Zero);

        var region = await ConsoleSession.SignInAsync(app, "it@region.example");
        Assert.That(await Html(await region.Client.GetAsync("/staff/accounts")), Does.Contain("clerk@arnsberg.example").And.Contain("clerk@velbert.example"));
        var arnsberg = await region.PostFormAsync("/staff/accounts", $"/staff/accounts/{await IdOf("clerk@arnsberg.example")}/disable");
        Assert.That(arnsberg.Headers.Location?.ToString(), Is.EqualTo("/staff/accounts?done=disabled"));
        var self = await region.PostFormAsync("/staff/accounts", $"/staff/accounts/{await IdOf("it@region.example")}/disable");
        Assert.That(self.Headers.Location?.ToString(), Is.EqualTo("/staff/accounts?done=self"));
        Assert.That(await app.ScalarAsync<int>("SELECT disabled FROM staff_accounts WHERE email = 'it@region.example'"), Is.Zero, "nobody disables their own account");
    }

    [Test]
    public async Task NewAccounts_WithBadInput_Get400NamingTheField_AndNothingIsStored()
    {
        var admin = await ConsoleSession.SignInAsync(app, "it@region.example");
        var bad = await admin.PostFormAsync("/staff/accounts/new", "/staff/accounts", ("name", ""), ("email", "no address"), ("role", Roles.Clerk), ("tenant", "velbert"));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var page = await Html(bad);
        Assert.That(page, Does.Contain("Bitte eine gültige E-Mail-Adresse eingeben.").And.Contain("Bitte einen Namen eingeben"));
        var clerkForAll = await admin.PostFormAsync("/staff/accounts/new", "/staff/accounts", ("name", "X"), ("email", "x@example.org"), ("role", Roles.Clerk), ("tenant", "*"));
        Assert.That(clerkForAll.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "only admins act for all tenants");
        var taken = await admin.PostFormAsync("/staff/accounts/new", "/staff/accounts", ("name", "X"), ("email", "CLERK@velbert.example"), ("role", Roles.Clerk), ("tenant", "velbert"));
        Assert.That(await Html(taken), Does.Contain("gibt es schon ein Konto"));
        var unknown = await admin.PostFormAsync("/staff/accounts/new", "/staff/accounts", ("name", "X"), ("email", "y@example.org"), ("role", Roles.Clerk), ("tenant", "nirgendwo"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM staff_accounts"), Is.EqualTo(5));
    }

    [Test]
    public async Task EveryAccountPost_WithoutTheAntiforgeryToken_IsRefused_AndChangesNothing()
    {
        var admin = await ConsoleSession.SignInAsync(app, "it@region.example");
        var target = await IdOf("clerk@velbert.example");
        var before = await app.ScalarAsync<string>("SELECT password_hash FROM staff_accounts WHERE id = @Id", new { Id = target });
        var posts = new (string Path, Dictionary<string, string> Fields)[]
        {
            ("/staff/accounts", new() { ["name"] = "X", ["email"] = "x@example.org", ["role"] = Roles.Clerk, ["tenant"] = "velbert" }),
            ($"/staff/accounts/{target}/disable", new()), ($"/staff/accounts/{target}/enable", new()),
            ($"/staff/accounts/{target}/unlock", new()), ($"/staff/accounts/{target}/reset", new()),
            ("/staff/password", new() { ["current"] = "correct horse battery", ["password"] = NewPassword, ["confirm"] = NewPassword }),
        };
        foreach (var (path, fields) in posts)
            Assert.That((await admin.Client.PostAsync(path, new FormUrlEncodedContent(fields))).StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), path);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM staff_accounts"), Is.EqualTo(5));
        Assert.That(await app.ScalarAsync<string>("SELECT password_hash FROM staff_accounts WHERE id = @Id", new { Id = target }), Is.EqualTo(before));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM staff_accounts WHERE disabled = 1 OR must_change_password = 1"), Is.Zero);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action LIKE 'staff.%' AND action <> 'staff.created'"), Is.Zero);
    }

    [Test]
    public async Task ChangingTheOwnPassword_NeedsTheCurrentOne_AndEndsTheOtherSessions()
    {
        var laptop = await ConsoleSession.SignInAsync(app, "lead@velbert.example");
        var phone = await ConsoleSession.SignInAsync(app, "lead@velbert.example");
        var wrong = await laptop.PostFormAsync("/staff/password", "/staff/password", ("current", "not my password"), ("password", NewPassword), ("confirm", NewPassword));
        Assert.That(wrong.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await Html(wrong), Does.Contain("bisherige Passwort ist falsch"));
        var mismatch = await laptop.PostFormAsync("/staff/password", "/staff/password", ("current", "correct horse battery"), ("password", NewPassword), ("confirm", NewPassword + "x"));
        Assert.That(await Html(mismatch), Does.Contain("Wiederholung stimmt nicht"));
        var ok = await laptop.PostFormAsync("/staff/password", "/staff/password", ("current", "correct horse battery"), ("password", NewPassword), ("confirm", NewPassword));
        Assert.That(ok.Headers.Location?.ToString(), Is.EqualTo("/staff"));
        Assert.That((await laptop.Client.GetAsync("/staff")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await phone.Client.GetAsync("/staff")).Headers.Location?.ToString(), Does.Contain("/staff/login"));
        await ConsoleSession.SignInAsync(app, "lead@velbert.example", NewPassword);
    }

    [TestCase("kurz", "PasswordTooShort")]
    [TestCase("elf zeichen", "PasswordTooShort")]
    [TestCase("Passwort2024!", "PasswordCommon")]
    [TestCase("qwertzuiop123", "PasswordCommon")]
    [TestCase("123456789012", "PasswordCommon")]
    [TestCase("aaaaaaaaaaaaaaa", "PasswordCommon")]
    [TestCase("meine mail ist erika.mustermann@velbert.example", "PasswordPersonal")]
    [TestCase("Erika.Mustermann", "PasswordPersonal")]
    [TestCase("erika.mustermann und mehr", null)]
    [TestCase("vier unabhängige Wörter hier", null)]
    [TestCase("Tr0ub4dour&3xyz", null)]
    public void ThePasswordPolicy_FollowsNist_LengthAndAListNotComposition(string password, string? problem) =>
        Assert.That(PasswordPolicy.Problem(password, "erika.mustermann@velbert.example"), Is.EqualTo(problem));
}
