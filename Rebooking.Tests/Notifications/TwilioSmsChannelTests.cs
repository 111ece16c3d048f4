using Rebooking.Notifications;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Notifications;

/// <summary>The SMS channel through the Twilio SDK against the fake Twilio over real HTTP, without the dispatcher.</summary>
public sealed class TwilioSmsChannelTests
{
    FakeTwilio twilio = null!;

    [SetUp]
    public async Task Start() => twilio = await FakeTwilio.StartAsync();

    [TearDown]
    public async Task Stop() => await twilio.DisposeAsync();

    TwilioSmsChannel Channel(Action<TwilioOptions>? configure = null)
    {
        var options = new TwilioOptions
        {
            AccountSid = FakeTwilio.AccountSid, AuthToken = FakeTwilio.AuthToken, From = FakeTwilio.From, BaseUrl = twilio.BaseUrl,
            Timeout = TimeSpan.FromSeconds(1), RatePerSecond = 0,
        };
        configure?.Invoke(options);
        var http = new HttpClient(new TwilioHttpHandler(options, TimeProvider.System) { InnerHandler = new SocketsHttpHandler() }) { Timeout = options.Timeout };
        return new TwilioSmsChannel(TwilioSmsChannel.CreateClient(http, options), options);
    }

    static OutgoingMessage Message(string text = "Stadt Velbert: Ihr Termin kann leider nicht stattfinden.") => new("+491711000001", text);

    [Test]
    public async Task AnErrorPageTheSdkCannotRead_IsAmbiguous_AndReconciliationFindsTheMessageItCreated()
    {
        twilio.Script = _ => FakeTwilio.Reply.GatewayErrorPage(createdAnyway: true);
        var channel = Channel();
        var attemptedAt = DateTimeOffset.UtcNow;

        var outcome = await channel.SendAsync(Message(), null, CancellationToken.None);

        Assert.That(outcome.Status, Is.EqualTo(SendStatus.Ambiguous), "code 0 / status 0 may have created the message");
        var found = await channel.ReconcileAsync("+491711000001", Message().BodyHash, attemptedAt, CancellationToken.None);
        Assert.That(found?.ProviderRef, Is.EqualTo(twilio.Messages.Keys.Single()));
        Assert.That(await channel.ReconcileAsync("+491711000001", Message("another text").BodyHash, attemptedAt, CancellationToken.None), Is.Null);
        Assert.That(twilio.WireErrors, Is.Empty);
    }

    [Test]
    public async Task TheEuRegionsHost_IsRedirectedToTheConfiguredBaseUrl()
    {
        var channel = Channel(o => { o.Region = "ie1"; o.Edge = "dublin"; });

        var outcome = await channel.SendAsync(Message(), "https://termine.velbert.de/webhooks/twilio/status", CancellationToken.None);

        Assert.That(outcome.Status, Is.EqualTo(SendStatus.Accepted));
        Assert.That(twilio.Requests.Single()["StatusCallback"], Is.EqualTo("https://termine.velbert.de/webhooks/twilio/status"));
        Assert.That(twilio.Requests.Single()["SmartEncoded"], Is.EqualTo("true").IgnoreCase);
        Assert.That(twilio.WireErrors, Is.Empty);
    }

    [Test]
    public async Task NothingListening_IsTransient_NotAmbiguous()
    {
        var channel = Channel(o => o.BaseUrl = $"http://127.0.0.1:{AppProcess.FreePort()}");

        var outcome = await channel.SendAsync(Message(), null, CancellationToken.None);

        Assert.That(outcome.Status, Is.EqualTo(SendStatus.Transient), outcome.Error);
    }

    [Test]
    public async Task TooManyRequests_CarriesTheRetryAfterOfItsOwnResponse()
    {
        twilio.Script = r => FakeTwilio.Reply.TooManyRequests(42);

        var outcome = await Channel().SendAsync(Message(), null, CancellationToken.None);

        Assert.That(outcome.Status, Is.EqualTo(SendStatus.Transient));
        Assert.That(outcome.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(42)));
        Assert.That(outcome.ErrorCode, Is.EqualTo("20429"));
    }
}
