using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Data;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using Rebooking.Tests.Voice;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Notifications;

/// <summary>
/// The channel rule (<see cref="ChannelRule"/>) on its own, and the places that apply it without calling it — the outage
/// processor's set-based SQL (reachable or not, landlines queued for a call) and the preview's grouping — checked
/// against it on one table of bookings: every stored phone kind, with and without an e-mail address.
/// </summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class ChannelRuleTests(DatabaseProvider provider)
{
    const ContactChannel All = ContactChannel.Sms | ContactChannel.Email | ContactChannel.Voice;

    /// <summary>The table of cases: a reference, the phone as imported, its expected stored kind, an e-mail address.</summary>
    static readonly (string Ref, string? Phone, string? Kind, string? Email)[] Cases =
    [
        ("M", "0171 1000001", "mobile", null), ("ME", "0171 1000002", "mobile", "me@example.org"),
        ("U", "+1 202 456 1111", "unknown", null), ("UE", "+1 202 456 1112", "unknown", "ue@example.org"),
        ("L", "02051 100001", "landline", null), ("LE", "02051 100002", "landline", "le@example.org"),
        ("N", null, null, null), ("E", null, null, "e@example.org"),
    ];

    [TestCase("mobile", false, All, ContactChannel.Sms)]
    [TestCase("unknown", false, All, ContactChannel.Sms)]
    [TestCase("mobile", true, All, ContactChannel.Sms)]
    [TestCase("mobile", true, ContactChannel.Email | ContactChannel.Voice, ContactChannel.Email)]
    [TestCase("mobile", false, ContactChannel.Email | ContactChannel.Voice, ContactChannel.None)]
    [TestCase("landline", true, All, ContactChannel.Email)]
    [TestCase("landline", false, All, ContactChannel.Voice)]
    [TestCase("landline", false, ContactChannel.Sms | ContactChannel.Email, ContactChannel.None)]
    [TestCase(null, true, All, ContactChannel.Email)]
    [TestCase(null, false, All, ContactChannel.None)]
    public void TheFirstMessage_TakesSmsThenEmailThenACallToALandline(string? kind, bool hasEmail, ContactChannel available, ContactChannel expected) =>
        Assert.That(ChannelRule.For(kind, hasEmail, available), Is.EqualTo(expected));

    [TestCase("mobile", true, "21610", All, ContactChannel.Email)]
    [TestCase("mobile", false, "21614", All, ContactChannel.Voice)]
    [TestCase("unknown", false, "21614", All, ContactChannel.Voice)]
    [TestCase("mobile", false, "21610", All, ContactChannel.None)]
    [TestCase("mobile", false, "21614", ContactChannel.Sms | ContactChannel.Email, ContactChannel.None)]
    [TestCase("mobile", true, null, ContactChannel.Sms | ContactChannel.Email, ContactChannel.Email)]
    [TestCase("mobile", false, null, All, ContactChannel.None)]
    public void AfterAnSmsFailedForGood_ItIsEmail_ElseACallWhenTwilioSaidNotAMobile(string? kind, bool hasEmail, string? error, ContactChannel available, ContactChannel expected) =>
        Assert.That(ChannelRule.WithoutSms(kind, hasEmail, error, available), Is.EqualTo(expected));

    /// <summary>
    /// With the development outbox (SMS and e-mail), and with Twilio SMS and calls but no e-mail: the preview counts, what
    /// the outage processor's SQL marks and queues, and the channel each citizen finally gets, all as the rule says.
    /// </summary>
    [TestCase(false)]
    [TestCase(true)]
    public async Task TheProcessorsSql_ThePreview_AndTheDispatcher_FollowTheRule_OnEveryCase(bool twilioWithCalls)
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var settings = twilioWithCalls ? VoiceCallTests.VoiceSettings(twilio) : new Dictionary<string, string?>();
        await using var app = await RebookingApp.StartAsync(provider, settings, now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
        var available = twilioWithCalls ? ContactChannel.Sms | ContactChannel.Voice : ContactChannel.Sms | ContactChannel.Email;
        Assert.That(app.Services.GetRequiredService<NotificationChannels>().Available | (twilioWithCalls ? ContactChannel.Voice : ContactChannel.None),
            Is.EqualTo(available), "the set-up under test");
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", Cases.Select((c, i) =>
            Booking(c.Ref, "mitte", "geburt", $"{9 + i:00}:00", phone: c.Phone, email: c.Email)).ToArray());
        var stored = (await QueryAsync<Row>(app, "SELECT external_ref AS Ref, phone_kind AS Kind FROM bookings")).ToDictionary(r => r.Ref, r => r.Kind);
        Assert.That(Cases.Select(c => stored[c.Ref]), Is.EqualTo(Cases.Select(c => c.Kind)), "every stored kind is in the table");

        var preview = await (await app.Admin().PostAsJsonAsync("/api/tenants/velbert/outages/preview", Declare("07:00", "18:00")))
            .Content.ReadFromJsonAsync<JsonElement>();
        int Count(ContactChannel available, ContactChannel channel) => Cases.Count(c => ChannelRule.For(c.Kind, c.Email is not null, available) == channel);
        var messageChannels = ContactChannel.Sms | ContactChannel.Email;
        Assert.That(preview.GetProperty("withPhone").GetInt32(), Is.EqualTo(Count(messageChannels, ContactChannel.Sms)));
        Assert.That(preview.GetProperty("withEmailOnly").GetInt32(), Is.EqualTo(Count(messageChannels, ContactChannel.Email)));
        Assert.That(preview.GetProperty("withoutContact").GetInt32(), Is.EqualTo(Count(messageChannels, ContactChannel.None)));
        var configured = available & ~ContactChannel.Voice;
        var messages = preview.GetProperty("messages");
        Assert.That(messages.GetProperty("sms").GetInt32(), Is.EqualTo(Count(configured, ContactChannel.Sms)));
        Assert.That(messages.GetProperty("email").GetInt32(), Is.EqualTo(Count(configured, ContactChannel.Email)));
        Assert.That(messages.GetProperty("voice").GetInt32(), Is.EqualTo(Cases.Count(c => ChannelRule.For(c.Kind, c.Email is not null, configured) == ContactChannel.None && c.Phone is not null)),
            "someone calls whom no message reaches but who has a phone");

        await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        var processed = (await QueryAsync<Row>(app, """
            SELECT b.external_ref AS Ref, a.contact AS Contact, a.unreachable_reason AS Reason,
                   (SELECT COUNT(*) FROM notifications n WHERE n.affected_id = a.id) AS Notifications,
                   (SELECT COUNT(*) FROM voice_calls v WHERE v.affected_id = a.id) AS Calls
            FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id
            """)).ToDictionary(r => r.Ref);
        foreach (var c in Cases)
        {
            var reachable = ChannelRule.Reachable(c.Kind, c.Email is not null);
            var called = !reachable && twilioWithCalls && ChannelRule.For(c.Kind, c.Email is not null, All) == ContactChannel.Voice;
            var row = processed[c.Ref];
            // A landline queued for a call also gets a message from the processor's catch-up (it reads contact = 'pending'),
            // which the dispatcher hands to the same call: what each citizen finally gets is checked below.
            if (!called) Assert.That(row.Notifications, Is.EqualTo(reachable ? 1 : 0), $"{c.Ref}: a message is queued only for whom one can reach");
            Assert.That(row.Calls, Is.EqualTo(called ? 1 : 0), $"{c.Ref}: a landline that nothing else reaches is queued for a call at once");
            Assert.That((row.Contact, row.Reason), Is.EqualTo(reachable || called ? ("pending", (string?)null) : ("unreachable", "no-contact")), c.Ref);
        }

        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var got = (await QueryAsync<Row>(app, """
            SELECT b.external_ref AS Ref,
                   (SELECT MAX(n.channel) FROM notifications n WHERE n.affected_id = a.id AND n.status IN ('accepted', 'delivered')) AS Channel,
                   (SELECT COUNT(*) FROM voice_calls v WHERE v.affected_id = a.id) AS Calls
            FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id
            """)).ToDictionary(r => r.Ref, r => r.Calls > 0 ? ContactChannel.Voice : r.Channel switch
            {
                "sms" => ContactChannel.Sms, "email" => ContactChannel.Email, _ => ContactChannel.None,
            });
        Assert.That(Cases.Select(c => $"{c.Ref}: {got[c.Ref]}"), Is.EqualTo(Cases.Select(c => $"{c.Ref}: {ChannelRule.For(c.Kind, c.Email is not null, available)}")));
    }

    /// <summary>One booking's case as read back; each query fills what it selects.</summary>
    sealed class Row
    {
        public string Ref { get; init; } = "";
        public string? Kind { get; init; }
        public string? Channel { get; init; }
        public string Contact { get; init; } = "";
        public string? Reason { get; init; }
        public long Notifications { get; init; }
        public long Calls { get; init; }
    }

    static async Task<IEnumerable<T>> QueryAsync<T>(RebookingApp app, string sql)
    {
        await using var connection = await app.Db.OpenAsync();
        return await connection.QueryAsync<T>(sql);
    }
}
