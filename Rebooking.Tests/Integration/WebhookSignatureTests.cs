using System.Text;
using Microsoft.AspNetCore.Http;
using Rebooking.Integration;
using StandardWebhooks;

namespace Rebooking.Tests.Integration;

/// <summary>Our signatures against the StandardWebhooks package's own signer and verifier, and the worked example in docs/integration.md.</summary>
public sealed class WebhookSignatureTests
{
    // The worked example of docs/integration.md, "Verifying a delivery".
    const string ExampleSecret = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    const string ExampleId = "0000000000000000042";
    const long ExampleTimestamp = 1620275400;
    const string ExampleBody = """{"id":"0000000000000000042","type":"booking.cancelled","occurredAt":"2021-05-06T06:30:00+02:00","tenant":"velbert","bookingRef":"A-2021-0506-017","outageId":"3f2504e0-4f89-11d3-9a0c-0305e82c3301"}""";
    const string ExampleSignature = "v1,a0pEel5oOW2jOJ72+xWSbKbTMm89l88izMCKnSL4cfY=";

    [Test]
    public void TheWorkedExample_IsWhatTheServiceSendsAndSigns_AndWhatTheDocsSay()
    {
        var change = new BookingChange
        {
            Position = 42, Type = ChangeType.Cancelled, OccurredAt = DateTimeOffset.Parse("2021-05-06T04:30:00Z"), TenantId = "velbert",
            BookingRef = "A-2021-0506-017", OutageId = Guid.Parse("3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
        };
        var body = ChangeMessage.From(change, OffsetTime.Zone("Europe/Berlin")).ToJsonBytes();

        Assert.That(Encoding.UTF8.GetString(body), Is.EqualTo(ExampleBody));
        Assert.That(WebhookSignature.Sign(ExampleSecret, ExampleId, ExampleTimestamp, body), Is.EqualTo(ExampleSignature));
        Assert.That(new StandardWebhook(ExampleSecret).Sign(ExampleId, DateTimeOffset.FromUnixTimeSeconds(ExampleTimestamp), ExampleBody),
            Is.EqualTo(ExampleSignature), "the StandardWebhooks package signs the example the same way");

        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "integration.md"));
        Assert.That(docs, Does.Contain(ExampleSecret).And.Contain(ExampleBody).And.Contain(ExampleSignature)
            .And.Contain($"webhook-timestamp: {ExampleTimestamp}").And.Contain($"{ExampleId}.{ExampleTimestamp}."));
    }

    [Test]
    public void ASignatureMadeNow_PassesTheStandardWebhooksVerifier_AndATamperedBodyDoesNot()
    {
        var secret = WebhookSignature.NewSecret();
        var timestamp = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var body = """{"id":"0000000000000000007","type":"booking.declined"}""";
        var headers = new HeaderDictionary
        {
            ["webhook-id"] = "0000000000000000007",
            ["webhook-timestamp"] = timestamp.ToString(),
            ["webhook-signature"] = WebhookSignature.Sign(secret, "0000000000000000007", timestamp, Encoding.UTF8.GetBytes(body)),
        };

        Assert.That(() => new StandardWebhook(secret).Verify(body, headers), Throws.Nothing);
        Assert.That(() => new StandardWebhook(secret).Verify(body.Replace("declined", "rebooked"), headers), Throws.Exception);
        Assert.That(() => new StandardWebhook(WebhookSignature.NewSecret()).Verify(body, headers), Throws.Exception, "another secret");
    }

    [Test]
    public void NewSecrets_AreWhsecAnd32RandomBytes()
    {
        var a = WebhookSignature.NewSecret();
        Assert.That(a, Does.StartWith("whsec_"));
        Assert.That(Convert.FromBase64String(a["whsec_".Length..]), Has.Length.EqualTo(32));
        Assert.That(WebhookSignature.NewSecret(), Is.Not.EqualTo(a));
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Rebooking.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Rebooking.sln not found above the test output");
    }
}
