using Rebooking.Integration;

namespace Rebooking.Tests.Integration;

/// <summary><c>Webhooks:*</c> is validated at start, with every problem named.</summary>
public sealed class WebhookOptionsTests
{
    [Test]
    public void TheDefaults_AreValid() => Assert.That(new WebhookOptions().Problems(), Is.Empty);

    [Test]
    public void ALeaseShorterThanARoundOfTimeouts_ATimeoutAboveTenSeconds_AndABadNetwork_AreEachNamed()
    {
        var problems = new WebhookOptions
        {
            Timeout = TimeSpan.FromSeconds(11), Lease = TimeSpan.FromSeconds(30), AllowedNetworks = ["10.20.0.0/16", "not-a-network"],
        }.Problems().ToList();

        Assert.That(problems, Has.Count.EqualTo(3), string.Join("\n", problems));
        Assert.That(problems, Has.Some.Contains("Webhooks:Timeout"));
        Assert.That(problems, Has.Some.Contains("Webhooks:Lease"));
        Assert.That(problems, Has.Some.Contains("'not-a-network'"));
    }

    [Test]
    public void AnAllowedNetwork_AdmitsItsPrivateAddresses_OverHttpsOnly()
    {
        var policy = new WebhookAddressPolicy(new WebhookOptions { AllowedNetworks = ["10.20.0.0/16"] });
        Assert.That(policy.IsAllowed(System.Net.IPAddress.Parse("10.20.3.4")), Is.True);
        Assert.That(policy.IsAllowed(System.Net.IPAddress.Parse("10.20.3.4"), "http"), Is.False);
        Assert.That(policy.IsAllowed(System.Net.IPAddress.Parse("10.21.3.4")), Is.False);
        Assert.That(policy.IsAllowed(System.Net.IPAddress.Parse("::ffff:10.21.3.4")), Is.False, "IPv4-mapped IPv6");
        Assert.That(policy.IsAllowed(System.Net.IPAddress.Parse("93.184.216.34")), Is.True);
    }
}
