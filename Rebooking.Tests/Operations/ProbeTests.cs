using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Rebooking.Access;
using Rebooking.Data;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Operations;

/// <summary>The load balancer's probes and the key ring's settings, against the in-memory app.</summary>
public sealed class ProbeTests
{
    /// <summary>Asking for readiness turns the drain delay on; these tests need no balancer to notice their stop.</summary>
    static readonly Dictionary<string, string?> NoDrainDelay = new() { ["Drain:Delay"] = "00:00:00" };

    [Test]
    public async Task LiveAndReady_Answer200_OnAMigratedDatabase()
    {
        await using var app = await RebookingApp.StartAsync(settings: NoDrainDelay);
        var client = app.Anonymous();

        var live = await client.GetAsync("/health/live");
        var ready = await client.GetAsync("/health/ready");

        Assert.That(live.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await live.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString(), Is.EqualTo("live"));
        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("ready"));
        Assert.That(body.GetProperty("schemaVersion").GetInt32(), Is.EqualTo(Migrator.Load(DatabaseProvider.Sqlite).Count));
    }

    [Test]
    public async Task Ready_Is503_WhenTheSchemaIsNotAtThisBuildsVersion_WhileLiveStays200()
    {
        await using var app = await RebookingApp.StartAsync(settings: NoDrainDelay);
        await app.ScalarAsync<int>("DELETE FROM schema_versions WHERE version = (SELECT MAX(version) FROM schema_versions); SELECT 1");
        var client = app.Anonymous();

        var ready = await client.GetAsync("/health/ready");

        Assert.That(ready.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That((await ready.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString(), Is.EqualTo("not-migrated"));
        Assert.That((await client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task WithoutACertificate_KeysAreStoredReadable_AndTheStartWarnsAboutIt()
    {
        await using var app = await RebookingApp.StartAsync();
        await app.Anonymous().GetStringAsync("/staff/login"); // the antiforgery token needs a key

        var xml = await app.ScalarAsync<string>("SELECT xml FROM data_protection_keys WHERE friendly_name LIKE 'key-%'");
        Assert.That(xml, Does.Contain("<masterKey").And.Not.Contain("EncryptedData"));
        Assert.That(app.Logs, Has.Some.StartsWith("Warning").And.Contains("WITHOUT encryption").And.Contains("DataProtection:CertificatePath"));
    }

    [Test]
    public async Task WithACertificate_KeysAreStoredEncrypted_AndSessionsStillWork()
    {
        var directory = Directory.CreateTempSubdirectory("rebooking-cert-").FullName;
        var path = Path.Combine(directory, "keyring.pfx");
        using (var rsa = RSA.Create(2048))
        {
            var request = new CertificateRequest("CN=Rebooking key ring", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            await File.WriteAllBytesAsync(path, certificate.Export(X509ContentType.Pfx, "geheim"));
        }
        await using var app = await RebookingApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = path,
            ["DataProtection:CertificatePassword"] = "geheim",
        });
        await ConsoleSession.AddAccountAsync(app, "it@kreis.example", Roles.Admin, "*");

        var admin = await ConsoleSession.SignInAsync(app, "it@kreis.example");

        Assert.That((await admin.Client.GetAsync("/staff")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the key is read back with the certificate");
        var xml = await app.ScalarAsync<string>("SELECT xml FROM data_protection_keys WHERE friendly_name LIKE 'key-%'");
        Assert.That(xml, Does.Contain("EncryptedData").And.Not.Contain("<value>"));
        Assert.That(app.Logs, Has.None.Contains("WITHOUT encryption"));
        Directory.Delete(directory, recursive: true);
    }

    [Test]
    public void ACertificatePathWithoutAFile_StopsTheStart_NamingTheSetting()
    {
        var failure = Assert.CatchAsync(async () => await RebookingApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["DataProtection:CertificatePath"] = "/nonexistent/keyring.pfx",
        }));

        Assert.That(failure!.ToString(), Does.Contain("DataProtection:CertificatePath"));
    }
}
