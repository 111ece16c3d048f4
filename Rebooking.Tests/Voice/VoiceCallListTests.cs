using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using Rebooking.Voice;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Voice;

/// <summary>
/// The hotline's call list says who was called, when and how it ended, in its three forms (JSON, CSV, page). The
/// calls fall on the spring DST weekend: two on Saturday (CET, +01:00), the third on Monday at 09:00 (CEST, +02:00),
/// because calls wait out the Sunday.
/// </summary>
public sealed class VoiceCallListTests
{
    FakeTwilio twilio = null!;
    RebookingApp app = null!;
    Guid outage;

    const string Land1 = "+492051100001", Land2 = "+492051100002";

    [SetUp]
    public async Task Start()
    {
        twilio = await FakeTwilio.StartAsync();
        // Saturday 27 March 2021, 16:00 CET: inside the default calling hours (Mon-Sat 09:00-19:00).
        app = await RebookingApp.StartAsync(settings: VoiceCallTests.VoiceSettings(twilio), now: DateTimeOffset.Parse("2021-03-27T16:00:00+01:00"));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("L1", "mitte", "geburt", "09:00", phone: "02051 100001"),
            Booking("L2", "mitte", "geburt", "09:15", phone: "02051 100002"),
            Booking("N", "mitte", "geburt", "09:30", phone: null),
        });
        outage = await app.DeclareAndCallAsync("velbert", Declare("07:00", "18:00"));

        await twilio.PlayAsync(app.Anonymous(), twilio.Calls.Single(c => c.To == Land2), Citizen.Machine());
        await twilio.PlayAsync(app.Anonymous(), twilio.Calls.Last(c => c.To == Land1), Citizen.Busy());     // Saturday 16:00 CET
        app.Clock.Advance(TimeSpan.FromHours(2));
        await Dialer.RunPendingAsync();
        await twilio.PlayAsync(app.Anonymous(), twilio.Calls.Last(c => c.To == Land1), Citizen.Busy());     // Saturday 18:00 CET
        app.Clock.Advance(TimeSpan.FromHours(2));
        await Dialer.RunPendingAsync();
        Assert.That(twilio.Calls.Count(c => c.To == Land1), Is.EqualTo(2), "20:00 is outside the hours, and Sunday too");
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2021-03-29T09:00:00+02:00"));
        await Dialer.RunPendingAsync();
        await twilio.PlayAsync(app.Anonymous(), twilio.Calls.Last(c => c.To == Land1), Citizen.Busy());     // Monday 09:00 CEST
        Assert.That(twilio.Calls.Count(c => c.To == Land1), Is.EqualTo(3));
        Assert.That(twilio.WireErrors, Is.Empty);
    }

    [TearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        await twilio.DisposeAsync();
    }

    VoiceDialer Dialer => app.Services.GetRequiredService<VoiceDialer>();

    [Test]
    public async Task Json_GivesTheNumberOfCalls_TheLastCallsInstant_AndHowItEnded_AndNothingForACitizenNeverCalled()
    {
        var json = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/velbert/outages/{outage}/unreachable");

        Assert.That(json.EnumerateArray().Select(r => r.GetProperty("bookingRef").GetString()), Is.EqualTo(new[] { "L1", "N" }), "the tape counts as reached");
        var busy = json[0];
        Assert.That(busy.GetProperty("reason").GetString(), Is.EqualTo("phone"));
        Assert.That(busy.GetProperty("calls").GetInt32(), Is.EqualTo(3));
        Assert.That(busy.GetProperty("lastCallAt").GetString(), Is.EqualTo("2021-03-29T09:00:00+02:00"), "Monday's call, after the clocks went forward");
        Assert.That(DateTimeOffset.Parse(busy.GetProperty("lastCallAt").GetString()!), Is.EqualTo(DateTimeOffset.Parse("2021-03-29T07:00:00Z")));
        Assert.That(busy.GetProperty("lastCallResult").GetString(), Is.EqualTo("busy"));
        var never = json[1];
        Assert.That(never.GetProperty("reason").GetString(), Is.EqualTo("no-contact"));
        Assert.That(never.GetProperty("calls").GetInt32(), Is.Zero);
        Assert.That(never.GetProperty("lastCallAt").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(never.GetProperty("lastCallResult").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Csv_HasTheCallColumns_InLocalTimeAndWords_AndEmptyCellsForACitizenNeverCalled()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/api/tenants/velbert/outages/{outage}/unreachable");
        request.Headers.Accept.ParseAdd("text/csv");
        var csv = await app.Admin().SendAsync(request);
        var lines = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.That(lines[0], Is.EqualTo("bookingRef;name;phone;email;start;officeId;serviceId;reason;calls;lastCall;lastCallResult"));
        Assert.That(lines[1], Is.EqualTo("L1;Bürger L1;0049 2051100001;;2021-05-06T09:00:00+02:00;mitte;geburt;phone;3;2021-03-29T09:00:00+02:00;besetzt"));
        Assert.That(lines[2], Is.EqualTo("N;Bürger N;;;2021-05-06T09:30:00+02:00;mitte;geburt;no-contact;;;"));
        Assert.That(lines, Has.Length.EqualTo(3));

        var session = await ClerkAsync();
        var file = Encoding.UTF8.GetString(await session.Client.GetByteArrayAsync($"/staff/outages/{outage}/calls.csv"));
        Assert.That(file, Does.Contain(lines[1]), "the console's download is the same file");
    }

    [Test]
    public async Task Page_ShowsThreeCalls_TheLastOneInLocalTime_AndBusy_AndAnEmptyCellForACitizenNeverCalled()
    {
        var session = await ClerkAsync();
        var page = WebUtility.HtmlDecode(await session.Client.GetStringAsync($"/staff/outages/{outage}/calls"));

        var rows = System.Text.RegularExpressions.Regex.Matches(page, "<tr>(.*?)</tr>", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => System.Text.RegularExpressions.Regex.Matches(m.Groups[1].Value, "<t[dh][^>]*>(.*?)</t[dh]>", System.Text.RegularExpressions.RegexOptions.Singleline)
                .Select(c => System.Text.RegularExpressions.Regex.Replace(c.Groups[1].Value, "<[^>]+>", "").Trim()).ToList())
            .ToList();
        Assert.That(page, Does.Contain(": 2 Personen ohne Nachricht."));
        Assert.That(rows[0].Last(), Is.EqualTo("Anrufe"));
        var busy = rows.Single(r => r.Contains("Bürger L1"));
        // The weekday's abbreviation is ICU's ("Mo" or "Mo."); the rest is the console's format in local time.
        Assert.That(busy.Last(), Does.Match(@"^3 Anrufe, zuletzt Mo\.?, 29\.03\.2021, 09:00 Uhr: besetzt$"));
        Assert.That(busy[^2], Is.EqualTo("telefonisch nicht erreicht"));
        var never = rows.Single(r => r.Contains("Bürger N"));
        Assert.That(never.Last(), Is.Empty, "never called: nothing in the calls column");

        await session.Client.GetAsync("/staff/language?to=en&returnUrl=/staff");
        var english = WebUtility.HtmlDecode(await session.Client.GetStringAsync($"/staff/outages/{outage}/calls"));
        Assert.That(english, Does.Match(@"3 calls, last Mon\.? 29 Mar 2021, 09:00: busy"));
    }

    [Test]
    public void EveryEndingHasWords_InGermanAndEnglish()
    {
        var german = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
        var english = System.Globalization.CultureInfo.GetCultureInfo("en-GB");
        Assert.That(CallResults.Words("busy", german), Is.EqualTo("besetzt"));
        Assert.That(CallResults.Words("no-answer", english), Is.EqualTo("no answer"));
        Assert.That(CallResults.Words("machine", german), Is.EqualTo("Anrufbeantworter: Nachricht hinterlassen"));
        Assert.That(CallResults.Words("machine", english), Is.EqualTo("answering machine: message left"));
        foreach (var code in new[] { "busy", "no-answer", "failed", "canceled", "completed", "lost", "answered", "machine", "calling" })
        {
            Assert.That(CallResults.Words(code, german), Is.Not.EqualTo(code).And.Not.Empty, code);
            Assert.That(CallResults.Words(code, english), Is.Not.EqualTo(CallResults.Words(code, german)), code);
        }
        Assert.That(CallResults.Words(null), Is.Empty);
    }

    async Task<ConsoleSession> ClerkAsync()
    {
        await ConsoleSession.AddAccountAsync(app, "clerk@velbert.example", Rebooking.Access.Roles.Clerk, "velbert");
        return await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
    }
}
