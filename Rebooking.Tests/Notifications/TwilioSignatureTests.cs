using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Notifications;

public sealed class TwilioSignatureTests
{
    static readonly KeyValuePair<string, string>[] PublishedParams =
    [
        new("CallSid", "CA1234567890ABCDE"), new("Caller", "+12349013030"), new("Digits", "1234"), new("From", "+12349013030"), new("To", "+18005551212"),
    ];

    /// <summary>Twilio's published vector, computed the way Twilio documents it, independently of the code under test.</summary>
    static string Independent(string token, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = url + string.Concat(form.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + p.Value));
        return Convert.ToBase64String(new HMACSHA1(Encoding.UTF8.GetBytes(token)).ComputeHash(Encoding.UTF8.GetBytes(data)));
    }

    [Test]
    public void PublishedVectors_AreReproducedIndependently_AndAcceptedByTheValidator()
    {
        Assert.That(Independent("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", PublishedParams), Is.EqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ="));
        Assert.That(Independent("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", PublishedParams), Is.EqualTo("EpDEmp1PyjDYp77YxYU3GILBWzE="));
        Assert.That(TwilioSignature.IsValid("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", PublishedParams, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="), Is.True);
        Assert.That(TwilioSignature.IsValid("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", PublishedParams, ""), Is.False,
            "the SDK's validator throws on an empty signature; ours answers false");
    }

    [Test]
    public void Validation_AcceptsTheDefaultPortEitherWay_AndRefusesAnythingElse()
    {
        const string url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        Assert.That(TwilioSignature.IsValid("12345", url, PublishedParams, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="), Is.True);
        Assert.That(TwilioSignature.IsValid("12345", url, PublishedParams, "EpDEmp1PyjDYp77YxYU3GILBWzE="), Is.True, "Twilio signed with :443");
        Assert.That(TwilioSignature.IsValid("12345", "https://mycompany.com:443/myapp.php?foo=1&bar=2", PublishedParams, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="), Is.True);
        Assert.That(TwilioSignature.IsValid("12346", url, PublishedParams, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="), Is.False, "other token");
        Assert.That(TwilioSignature.IsValid("12345", url + "&x=1", PublishedParams, "0/KCTR6DLpKmkAf8muzZqo1nDgQ="), Is.False, "other query");
        Assert.That(TwilioSignature.IsValid("12345", url, PublishedParams.Append(new("Extra", "1")).ToList(), "0/KCTR6DLpKmkAf8muzZqo1nDgQ="), Is.False);
        Assert.That(TwilioSignature.IsValid("12345", url, PublishedParams, null), Is.False);
    }

    [Test]
    public async Task StatusCallback_Signed_MovesForwardOnly_DuplicatesAndForgeriesChangeNothing()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await RebookingApp.StartAsync(settings: twilio.Settings("https://termine.velbert.de"));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[] { Booking("A", "mitte", "geburt", "09:00", phone: "0171 1000001") });
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var sid = twilio.Messages.Keys.Single();

        async Task<HttpStatusCode> Callback(string status, string? signature = null, string? errorCode = null)
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new("MessageSid", sid), new("MessageStatus", status), new("AccountSid", FakeTwilio.AccountSid), new("To", "+491711000001"),
                new("From", FakeTwilio.From), new("ApiVersion", "2010-04-01"),
            };
            if (errorCode is not null) form.Add(new("ErrorCode", errorCode));
            var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/twilio/status") { Content = new FormUrlEncodedContent(form) };
            request.Headers.Add("X-Twilio-Signature", signature ?? Independent(FakeTwilio.AuthToken, "https://termine.velbert.de/webhooks/twilio/status", form));
            return (await app.Anonymous().SendAsync(request)).StatusCode;
        }
        async Task<string> Contact() => (await app.StatsAsync("velbert", outage)).GetProperty("contact").ToString();

        Assert.That(await Callback("delivered", signature: "forged0000000000000000000000="), Is.EqualTo(HttpStatusCode.Forbidden));
        var unsigned = await app.Anonymous().PostAsync("/webhooks/twilio/status",
            new FormUrlEncodedContent([new("MessageSid", sid), new("MessageStatus", "delivered")]));
        Assert.That(unsigned.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await Contact(), Does.Contain("\"delivered\":0"));

        Assert.That(await Callback("sent"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Callback("delivered"), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Callback("delivered"), Is.EqualTo(HttpStatusCode.OK), "a repeated callback is fine");
        Assert.That(await Callback("undelivered", errorCode: "30003"), Is.EqualTo(HttpStatusCode.OK), "late and out of order");

        Assert.That(await Contact(), Is.EqualTo("""{"notified":1,"delivered":1,"unreachable":0,"pending":0}"""));
        Assert.That(await app.ScalarAsync<string>("SELECT status FROM notifications"), Is.EqualTo("delivered"));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM provider_events"), Is.EqualTo(3));
    }

    [Test]
    public async Task UndeliveredSms_WithAnEmailAddress_IsSentAgainByEmail()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var smtp = await SmtpSink.StartAsync();
        var settings = twilio.Settings();
        foreach (var (k, v) in smtp.Settings) settings[k] = v;
        await using var app = await RebookingApp.StartAsync(settings: settings);
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[] { Booking("A", "mitte", "geburt", "09:00", phone: "0171 1000001", email: "a@example.org") });
        await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        var dispatcher = app.Services.GetRequiredService<NotificationDispatcher>();
        await dispatcher.RunPendingAsync();
        var sid = twilio.Messages.Keys.Single();
        var form = new List<KeyValuePair<string, string>> { new("MessageSid", sid), new("MessageStatus", "undelivered"), new("ErrorCode", "30003") };
        var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/twilio/status") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Twilio-Signature", Independent(FakeTwilio.AuthToken, "https://termine.velbert.de/webhooks/twilio/status", form));
        Assert.That((await app.Anonymous().SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        await dispatcher.RunPendingAsync();

        Assert.That(smtp.Messages(), Has.Count.EqualTo(1));
        Assert.That(await app.ScalarAsync<string>("SELECT channel || ' ' || status FROM notifications"), Is.EqualTo("email accepted"));
    }
}

public sealed class ReinstatementMessageTests
{
    [Test]
    public async Task Reinstatement_FollowsASentCancellation_AndIsWithdrawnWhenTheCancellationNeverArrived()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await RebookingApp.StartAsync(settings: twilio.Settings(), now: DateTimeOffset.Parse("2021-05-06T07:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("TOLD", "mitte", "geburt", "15:00", phone: "0171 1000001"),
            Booking("BLOCKED", "mitte", "geburt", "16:00", phone: "0171 1000002"),
        });
        twilio.Script = r => r["To"] == "+491711000002" ? FakeTwilio.Reply.Error(21610) : FakeTwilio.Reply.Created();
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        var dispatcher = app.Services.GetRequiredService<NotificationDispatcher>();
        await dispatcher.RunPendingAsync();

        // Monday opens after all (Mettmann): resolved at 14:00, both bookings lie after it.
        var resolve = await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{outage}/resolve", new { at = Full("14:00") });
        Assert.That(resolve.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await app.ProcessAsync();
        await dispatcher.RunPendingAsync();

        var told = twilio.SentTo("+491711000001").ToList();
        Assert.That(told, Has.Count.EqualTo(2));
        Assert.That(told[1], Does.Contain("findet doch statt"));
        Assert.That(twilio.SentTo("+491711000002"), Is.Empty);
        Assert.That(await app.ScalarAsync<string>("SELECT status FROM bookings WHERE external_ref = 'BLOCKED'"), Is.EqualTo("booked"));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE kind = 'reinstatement'"), Is.EqualTo(1),
            "the citizen whose cancellation never arrived is simply no longer affected");
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("outcome").GetProperty("reinstated").GetInt32(), Is.EqualTo(1));
    }
}
