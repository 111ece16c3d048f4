using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rebooking.Notifications;

namespace Rebooking.Tests.Notifications;

/// <summary>The real <see cref="SmtpEmailChannel"/> (MailKit) against real aiosmtpd processes on loopback whose answers are scripted.</summary>
public sealed class SmtpEmailChannelTests
{
    static OutgoingMessage Mail(string reference = "n7") => MessageComposer.Email("erika@example.org", new MessageFacts(
        NotificationKind.Confirmation, "de", "Gemeinde Bösel", OffsetTime.Zone("Europe/Berlin"), "04494 9000-0", "Bürgerbüro", "Rathausstraße 3, 26219 Bösel",
        "Führerschein umtauschen", DateTimeOffset.Parse("2021-05-11T09:15:00+02:00"), DateTimeOffset.Parse("2021-05-11T09:30:00+02:00"),
        "Wegen einer Störung fällt Ihr Termin aus.", "Jürgen Groß", "https://termine.boesel.de/r/abcdefghijklmnopqrstuvwx", "B-3"),
        DateTimeOffset.Parse("2021-05-06T07:30:00+02:00")) with { Reference = reference };

    static SmtpOptions Plain(ScriptedSmtp relay, int poolSize = 4) =>
        new() { Host = "127.0.0.1", Port = relay.Port, From = "termine@boesel.de", StartTls = false, PoolSize = poolSize, Timeout = TimeSpan.FromSeconds(20) };

    static string MessageId(string raw) =>
        Regex.Match(raw, @"^Message-Id:\s*(\S+)", RegexOptions.Multiline | RegexOptions.IgnoreCase).Groups[1].Value.Trim();

    [TestCase("RCPT:451 4.3.0 try later", "451")]
    [TestCase("DATA:452 4.3.1 insufficient storage", "452")]
    public async Task A4xxAtSendTime_IsTransient_AndTheRetryCarriesTheSameMessageIdWithAllParts(string fail, string code)
    {
        await using var relay = await ScriptedSmtp.StartAsync(fail);
        await using var channel = new SmtpEmailChannel(Plain(relay));

        var first = await channel.SendAsync(Mail(), null, CancellationToken.None);
        Assert.That(first.Status, Is.EqualTo(SendStatus.Transient));
        Assert.That(first.ErrorCode, Is.EqualTo(code));
        Assert.That(relay.Messages(), Is.Empty, "a deferred mail is not stored");

        var retry = await channel.SendAsync(Mail(), null, CancellationToken.None);
        Assert.That(retry.Status, Is.EqualTo(SendStatus.Accepted));
        Assert.That(retry.ProviderRef, Is.EqualTo("smtp:n7.rebooking@boesel.de"));
        var raw = relay.Messages().Single();
        Assert.That(MessageId(raw), Is.EqualTo("<n7.rebooking@boesel.de>"), "the retry keeps the Message-ID derived from our notification");
        Assert.That(raw, Does.Contain("multipart/alternative").And.Contain("text/plain; charset=utf-8").IgnoreCase
            .And.Contain("text/html; charset=utf-8").IgnoreCase.And.Contain("text/calendar"));
        Assert.That(Regex.IsMatch(raw, @"^Subject:.*=\?utf-8\?[BQ]\?", RegexOptions.Multiline | RegexOptions.IgnoreCase), Is.True,
            "the subject with 'Bösel' travels as UTF-8 encoded words");
    }

    [TestCase("RCPT:550 5.1.1 no such user", "550", "recipient refused")]
    [TestCase("DATA:554 5.6.0 message refused", "554", "SMTP refused the message")]
    public async Task A5xxAtSendTime_IsPermanent_AndNothingIsStored(string fail, string code, string error)
    {
        await using var relay = await ScriptedSmtp.StartAsync(fail);
        await using var channel = new SmtpEmailChannel(Plain(relay));

        var outcome = await channel.SendAsync(Mail(), null, CancellationToken.None);

        Assert.That(outcome.Status, Is.EqualTo(SendStatus.Permanent));
        Assert.That(outcome.ErrorCode, Is.EqualTo(code));
        Assert.That(outcome.Error, Is.EqualTo(error));
        Assert.That(relay.Messages(), Is.Empty);
    }

    [TestCase("implicit")]
    [TestCase("starttls")]
    public async Task Tls_ReachesTheRelay_OnlyWithItsCertificateTrusted(string tls)
    {
        await using var relay = await ScriptedSmtp.StartAsync(tls: tls);
        var options = Plain(relay);
        options.StartTls = true;
        options.ImplicitTls = tls == "implicit";
        Assert.That(options.Security, Is.EqualTo(tls == "implicit" ? MailKit.Security.SecureSocketOptions.SslOnConnect : MailKit.Security.SecureSocketOptions.StartTls));

        await using (var untrusting = new SmtpEmailChannel(options))
        {
            var refused = await untrusting.SendAsync(Mail("n1"), null, CancellationToken.None);
            Assert.That(refused.Status, Is.EqualTo(SendStatus.Transient), "a self-signed certificate is refused by default, and nothing is sent in clear");
        }
        var thumbprint = relay.Certificate!.Thumbprint;
        await using var trusting = new SmtpEmailChannel(options) { ServerCertificateCheck = (_, certificate, _, _) => certificate?.GetCertHashString() == thumbprint };

        var sent = await trusting.SendAsync(Mail("n2"), null, CancellationToken.None);

        Assert.That(sent.Status, Is.EqualTo(SendStatus.Accepted));
        Assert.That(relay.Messages().Select(MessageId), Is.EqualTo(new[] { "<n2.rebooking@boesel.de>" }));
    }

    [Test]
    public void Port465_MeansImplicitTls_AndStartTlsOff_MeansNoEncryption()
    {
        Assert.That(new SmtpOptions { Port = 465 }.Security, Is.EqualTo(MailKit.Security.SecureSocketOptions.SslOnConnect));
        Assert.That(new SmtpOptions { Port = 587 }.Security, Is.EqualTo(MailKit.Security.SecureSocketOptions.StartTls));
        Assert.That(new SmtpOptions { Port = 465, ImplicitTls = false }.Security, Is.EqualTo(MailKit.Security.SecureSocketOptions.StartTls));
        Assert.That(new SmtpOptions { Port = 465, StartTls = false }.Security, Is.EqualTo(MailKit.Security.SecureSocketOptions.None));
    }

    [Test]
    public async Task ConcurrentSends_UseAtMostPoolSizeConnections_AndReuseThem()
    {
        await using var relay = await ScriptedSmtp.StartAsync(hold: TimeSpan.FromMilliseconds(300));
        await using var channel = new SmtpEmailChannel(Plain(relay, poolSize: 2));

        var outcomes = await Task.WhenAll(Enumerable.Range(1, 8).Select(i => channel.SendAsync(Mail("n" + i), null, CancellationToken.None)));

        Assert.That(outcomes.Select(o => o.Status), Is.All.EqualTo(SendStatus.Accepted));
        Assert.That(relay.Messages(), Has.Count.EqualTo(8));
        Assert.That(relay.PeakConnections(), Is.EqualTo(2), "two sends at a time, so both pooled connections were in use at once");
        Assert.That(relay.Events().Count(e => e == "connect"), Is.EqualTo(2), "eight mails over two connections: each was reused");
    }

    [Test]
    public async Task StoppingTheHost_ClosesThePooledConnectionsWithQuit()
    {
        await using var relay = await ScriptedSmtp.StartAsync();
        var directory = Directory.CreateTempSubdirectory("rebooking-smtp-host-").FullName;
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = directory, EnvironmentName = "Production" });
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Database:Provider"] = "sqlite", ["ConnectionStrings:Rebooking"] = $"Data Source={Path.Combine(directory, "r.db")}",
                ["Rebooking:PublicBaseUrl"] = "https://termine.boesel.de",
                ["Smtp:Host"] = "127.0.0.1", ["Smtp:Port"] = relay.Port.ToString(), ["Smtp:From"] = "termine@boesel.de", ["Smtp:StartTls"] = "false",
                ["Smtp:PoolSize"] = "2",
            });
            builder.AddRebookingCore();
            var host = builder.Build();
            await host.StartAsync();
            var email = host.Services.GetRequiredService<NotificationChannels>().Email;
            Assert.That(email, Is.InstanceOf<SmtpEmailChannel>());
            Assert.That((await email!.SendAsync(Mail(), null, CancellationToken.None)).Status, Is.EqualTo(SendStatus.Accepted));
            Assert.That(relay.Events(), Does.Not.Contain("quit"), "the connection stays pooled while the host runs");

            await host.StopAsync();
            await ((IAsyncDisposable)host).DisposeAsync();

            Assert.That(await relay.CountEventuallyAsync("quit", 1, TimeSpan.FromSeconds(5)), Is.EqualTo(1), "the pooled connection said QUIT");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, true);
        }
    }
}
