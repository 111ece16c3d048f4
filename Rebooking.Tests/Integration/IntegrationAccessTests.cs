using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Integration;

/// <summary>
/// The <c>integration</c> role (the appointment system's key): imports and its own tenant's feed, and 403 on
/// every other route of the API; and the role and tenant checks of the webhook endpoints, with their SSRF refusals.
/// </summary>
public sealed class IntegrationAccessTests
{
    RebookingApp app = null!;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync();
        await app.PutTenantAsync("velbert");
        await app.PutTenantAsync("arnsberg");
    }

    [TearDown]
    public async Task Stop() { if (app is not null) await app.DisposeAsync(); }

    static readonly HashSet<string> Allowed =
    [
        "POST /api/tenants/{tenant}/slots/import", "POST /api/tenants/{tenant}/bookings/import", "GET /api/tenants/{tenant}/changes",
    ];

    [Test]
    public async Task AnIntegrationKey_ImportsAndReadsItsFeed_AndEveryOtherApiRouteAnswers403()
    {
        var integration = await app.ClientFor("integration", "velbert");
        var slots = await integration.PostAsJsonAsync("/api/tenants/velbert/slots/import", new[]
        {
            new { officeId = "mitte", serviceId = (string?)null, start = Full("19:00"), end = Full("19:15"), capacity = 2 },
        });
        Assert.That(slots.StatusCode, Is.EqualTo(HttpStatusCode.OK), await slots.Content.ReadAsStringAsync());
        var bookings = await integration.PostAsJsonAsync("/api/tenants/velbert/bookings/import", new[] { Booking("I-1", "mitte", "geburt", "08:00") });
        Assert.That((await bookings.Content.ReadFromJsonAsync<ImportAnswer>())!.Imported, Is.EqualTo(1));
        Assert.That((await integration.GetAsync("/api/tenants/velbert/changes")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await integration.PostAsJsonAsync("/api/tenants/arnsberg/bookings/import", new[] { Booking("I-2", "mitte", "geburt", "08:00") })).StatusCode,
            Is.EqualTo(HttpStatusCode.Forbidden), "only its own tenant");

        var openApi = await app.Admin().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var checkedRoutes = new List<string>();
        foreach (var path in openApi.GetProperty("paths").EnumerateObject())
        {
            if (!path.Name.StartsWith("/api/", StringComparison.Ordinal) || path.Name.StartsWith("/api/rebook/", StringComparison.Ordinal)) continue;
            foreach (var operation in path.Value.EnumerateObject())
            {
                var method = operation.Name.ToUpperInvariant();
                if (method is "PARAMETERS" or "SUMMARY" or "DESCRIPTION" or "SERVERS") continue;
                var route = $"{method} {path.Name}";
                if (Allowed.Contains(route)) continue;
                var url = path.Name.Replace("{tenant}", "velbert").Replace("{id}", Guid.NewGuid().ToString()).Replace("{affectedId}", "1");
                using var request = new HttpRequestMessage(new HttpMethod(method), url);
                if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                var response = await integration.SendAsync(request);
                Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), route);
                checkedRoutes.Add(route);
            }
        }
        Assert.That(checkedRoutes, Has.Count.GreaterThan(15), string.Join("\n", checkedRoutes));
        Assert.That(checkedRoutes, Does.Contain("POST /api/tenants/{tenant}/webhooks").And.Contain("GET /api/tenants/{tenant}")
            .And.Contain("POST /api/tenants/{tenant}/outages").And.Contain("POST /api/apikeys"));
    }

    [Test]
    public async Task IntegrationKeys_AreIssuedForOneTenantOnly()
    {
        var one = await app.Admin().PostAsJsonAsync("/api/apikeys", new { role = "integration", tenant = "velbert", label = "TEVIS Velbert" });
        Assert.That(one.StatusCode, Is.EqualTo(HttpStatusCode.Created), await one.Content.ReadAsStringAsync());
        var all = await app.Admin().PostAsJsonAsync("/api/apikeys", new { role = "integration", tenant = "*", label = "everything" });
        Assert.That(all.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await all.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("tenant", out _), Is.True);
    }

    [Test]
    public async Task AJwtWithTheIntegrationRole_ReadsTheFeed_AndNothingElse()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        await using var jwtApp = await RebookingApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:Jwt:Authority"] = idp.Authority, ["Auth:Jwt:Audience"] = "rebooking", ["Auth:Jwt:RequireHttpsMetadata"] = "false",
        });
        await jwtApp.PutTenantAsync("velbert");
        var client = jwtApp.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", idp.Token("rebooking", "integration", "velbert"));

        Assert.That((await client.GetAsync("/api/tenants/velbert/changes")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/api/tenants/velbert")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await client.GetAsync("/api/tenants/velbert/outages")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    // ---- Webhook endpoints ----

    [Test]
    public async Task WebhookEndpoints_AreForTheTenantsAdminsOnly()
    {
        var created = await app.Admin().PostAsJsonAsync("/api/tenants/velbert/webhooks", new { url = "https://tevis.example.org/hooks", description = "TEVIS" });
        // example.org resolves to a public address; where DNS is unavailable the name does not resolve: both say the check ran.
        if (created.StatusCode == HttpStatusCode.BadRequest)
            Assert.That(await created.Content.ReadAsStringAsync(), Does.Contain("does not resolve"));
        var id = Guid.NewGuid();
        var routes = new (HttpMethod Method, string Url)[]
        {
            (HttpMethod.Post, "/api/tenants/velbert/webhooks"), (HttpMethod.Get, "/api/tenants/velbert/webhooks"),
            (HttpMethod.Delete, $"/api/tenants/velbert/webhooks/{id}"), (HttpMethod.Get, $"/api/tenants/velbert/webhooks/{id}/deliveries"),
            (HttpMethod.Post, $"/api/tenants/velbert/webhooks/{id}/redeliver"),
        };
        foreach (var (role, tenant, expected) in new[]
        {
            ("clerk", "velbert", HttpStatusCode.Forbidden), ("supervisor", "velbert", HttpStatusCode.Forbidden),
            ("integration", "velbert", HttpStatusCode.Forbidden), ("admin", "arnsberg", HttpStatusCode.Forbidden),
        })
        {
            var client = await app.ClientFor(role, tenant);
            foreach (var (method, url) in routes)
            {
                using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(new { url = "https://a.example.org/", changeId = "1" }) };
                Assert.That((await client.SendAsync(request)).StatusCode, Is.EqualTo(expected), $"{role}@{tenant} {method} {url}");
            }
        }
        Assert.That((await app.Anonymous().GetAsync("/api/tenants/velbert/webhooks")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task AWebhook_ShowsItsSecretOnce_ListsWithout_AndIsDeleted()
    {
        await using var loopbackApp = await RebookingApp.StartAsync(settings: new Dictionary<string, string?> { ["Webhooks:AllowLoopback"] = "true" });
        await loopbackApp.PutTenantAsync("velbert");
        var admin = await loopbackApp.ClientFor("admin", "velbert");

        var created = await admin.PostAsJsonAsync("/api/tenants/velbert/webhooks", new { url = "http://127.0.0.1:9/hook", description = "TEVIS Velbert" });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("secret").GetString(), Does.Match("^whsec_[A-Za-z0-9+/]{43}=$"));
        Assert.That(created.Headers.Location?.ToString(), Is.EqualTo($"/api/tenants/velbert/webhooks/{body.GetProperty("id").GetGuid()}"));

        var listed = await admin.GetStringAsync("/api/tenants/velbert/webhooks");
        Assert.That(listed, Does.Contain("TEVIS Velbert").And.Not.Contain("secret").And.Not.Contain("whsec_"));

        var id = body.GetProperty("id").GetGuid();
        Assert.That((await admin.DeleteAsync($"/api/tenants/velbert/webhooks/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NoContent));
        Assert.That((await admin.DeleteAsync($"/api/tenants/velbert/webhooks/{id}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await admin.GetStringAsync("/api/tenants/velbert/webhooks"), Is.EqualTo("[]"));
    }

    [TestCase("https://10.1.2.3/hook", "private")]
    [TestCase("https://192.168.0.10/hook", "private")]
    [TestCase("https://169.254.169.254/latest/meta-data", "private")]
    [TestCase("https://[fd00::1]/hook", "private")]
    [TestCase("https://127.0.0.1/hook", "loopback")]
    [TestCase("https://localhost:8443/hook", "loopback")]
    [TestCase("https://[::1]/hook", "loopback")]
    [TestCase("http://tevis.example.org/hook", "https")]
    [TestCase("https://user:secret@tevis.example.org/hook", "user name")]
    [TestCase("ftp://tevis.example.org/hook", "https")]
    [TestCase("not a url", "absolute")]
    public async Task AWebhookToAForbiddenAddress_IsRefusedWith400NamingUrl_AndNothingIsStored(string url, string reason)
    {
        var response = await app.Admin().PostAsJsonAsync("/api/tenants/velbert/webhooks", new { url });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").GetProperty("url")[0].GetString(), Does.Contain(reason));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhooks"), Is.Zero);
    }
}
