using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Rebooking.Access;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Access;

public sealed class AuthTests
{
    RebookingApp app = null!;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync();
        await app.PutTenantAsync("velbert");
        await app.PutTenantAsync("castrop-rauxel");
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task NoKey_Is401ProblemDetails()
    {
        var response = await app.Anonymous().GetAsync("/api/tenants/velbert");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [TestCase("rbk_wrong")]
    [TestCase(RebookingApp.AdminKey + "x")]
    public async Task WrongKey_Is401(string key)
    {
        var client = app.Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.That((await client.GetAsync("/api/tenants/velbert")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    [Test]
    public async Task Clerk_MayReadButNotReplaceTheTenant_403()
    {
        var clerk = await app.ClientFor(Roles.Clerk, "velbert");
        Assert.That((await clerk.GetAsync("/api/tenants/velbert")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var put = await clerk.PutAsJsonAsync("/api/tenants/velbert", RebookingApp.TenantBody("Übernommen"));
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var import = await clerk.PostAsJsonAsync("/api/tenants/velbert/bookings/import", Array.Empty<object>());
        Assert.That(import.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        var keys = await clerk.PostAsJsonAsync("/api/apikeys", new { role = "admin", tenant = "velbert", label = "x" });
        Assert.That(keys.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [TestCase(Roles.Supervisor)]
    [TestCase(Roles.Clerk)]
    [TestCase(Roles.Admin)]
    public async Task KeyOfOneTenant_OnAnotherTenant_Is403(string role)
    {
        var client = await app.ClientFor(role, "velbert");
        var response = await client.GetAsync("/api/tenants/castrop-rauxel");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
    }

    [Test]
    public async Task CreateKey_ShowsTheKeyOnceStoresOnlyItsHashAndTheKeyWorks()
    {
        var response = await app.Admin().PostAsJsonAsync("/api/apikeys", new { role = "clerk", tenant = "velbert", label = "Servicebüro Mitte" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var key = created.GetProperty("key").GetString()!;
        var id = created.GetProperty("id").GetString()!;

        await using (var connection = await app.Db.OpenAsync())
        {
            var hash = await connection.ExecuteScalarAsync<byte[]>("SELECT key_hash FROM api_keys WHERE id = @Id", new { Id = id });
            Assert.That(hash, Is.Not.EqualTo(Encoding.UTF8.GetBytes(key)));
            Assert.That(hash, Has.Length.EqualTo(32));
            Assert.That(await connection.ExecuteScalarAsync<int>(
                "SELECT COUNT(*) FROM api_keys WHERE id = @Key OR label = @Key OR CAST(key_hash AS TEXT) = @Key", new { Key = key }), Is.Zero);
        }
        var clerk = app.Anonymous();
        clerk.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.That((await clerk.GetAsync("/api/tenants/velbert")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await clerk.GetAsync("/api/tenants/castrop-rauxel")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task CreateKey_ClerkForAllTenantsOrUnknownTenant_Is400()
    {
        var star = await app.Admin().PostAsJsonAsync("/api/apikeys", new { role = "clerk", tenant = "*", label = "x" });
        Assert.That(star.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var unknown = await app.Admin().PostAsJsonAsync("/api/apikeys", new { role = "clerk", tenant = "atlantis", label = "x" });
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").TryGetProperty("tenant", out _), Is.True);
    }

    [Test]
    public async Task AdminOfOneTenant_MayNotIssueKeysForAnother_403()
    {
        var admin = await app.ClientFor(Roles.Admin, "velbert");
        var response = await admin.PostAsJsonAsync("/api/apikeys", new { role = "clerk", tenant = "castrop-rauxel", label = "x" });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Jwt_FromTheConfiguredIssuer_IsAcceptedWithItsRoleAndTenant()
    {
        await using var idp = await FakeIdentityProvider.StartAsync();
        await using var jwtApp = await RebookingApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Auth:Jwt:Authority"] = idp.Authority,
            ["Auth:Jwt:Audience"] = "rebooking",
            ["Auth:Jwt:RequireHttpsMetadata"] = "false",
        });
        await jwtApp.PutTenantAsync("velbert");
        await jwtApp.PutTenantAsync("castrop-rauxel");
        HttpClient With(string token)
        {
            var client = jwtApp.Anonymous();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        var clerk = With(idp.Token("rebooking", "clerk", "velbert"));
        Assert.That((await clerk.GetAsync("/api/tenants/velbert")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await clerk.GetAsync("/api/tenants/castrop-rauxel")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await clerk.PutAsJsonAsync("/api/tenants/velbert", RebookingApp.TenantBody())).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var admin = With(idp.Token("rebooking", "admin", "*"));
        Assert.That((await admin.PutAsJsonAsync("/api/tenants/castrop-rauxel", RebookingApp.TenantBody())).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var clerkForAll = With(idp.Token("rebooking", "clerk", "*"));
        Assert.That((await clerkForAll.GetAsync("/api/tenants/velbert")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "'*' is for admins only");

        Assert.That((await With(idp.Token("other-app", "admin", "*")).GetAsync("/api/tenants/velbert")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await With(idp.Token("rebooking", "admin", "*", otherKey: true)).GetAsync("/api/tenants/velbert")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await With(idp.Token("rebooking", "admin", "*", expires: DateTime.UtcNow.AddMinutes(-10))).GetAsync("/api/tenants/velbert")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
