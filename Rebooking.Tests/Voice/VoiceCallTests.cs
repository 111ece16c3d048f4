using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using Rebooking.Voice;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Voice;

/// <summary>Landline citizens called through Twilio's Calls API served over real HTTP, played by scripted citizens.</summary>
public sealed class VoiceCallTests
{
    FakeTwilio twilio = null!;
    RebookingApp app = null!;
    Guid outage;

    public const string VoiceFrom = "+4920512690";
    const string Land1 = "+492051100001", Land2 = "+492051100002", Land3 = "+492051100003", English = "+492051100004", Mobile = "+491711000009";
    static readonly string[] HotlineDigits = ["null, zwei, null, fünf, eins, zwei, sechs, null"];

    public static Dictionary<string, string?> VoiceSettings(FakeTwilio twilio)
    {
        var settings = twilio.Settings();
        settings["Voice:Enabled"] = "true";
        settings["Twilio:VoiceFrom"] = VoiceFrom;
        settings["Voice:RatePerSecond"] = "0";
        settings["Rebooking:RequestsPerMinutePerClient"] = "0";
        settings["Rebooking:OfferCacheDuration"] = "00:00:00";
        return settings;
    }

    [SetUp]
    public async Task Start()
    {
        twilio = await FakeTwilio.StartAsync();
        // Wednesday 10:00: inside the default calling hours.
        app = await RebookingApp.StartAsync(settings: VoiceSettings(twilio), now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        object Slot(string start) => new
        {
            officeId = "mitte", serviceId = (string?)null, start = Full(start),
            end = DateTimeOffset.Parse(Full(start)).AddMinutes(15).ToString("yyyy-MM-dd'T'HH:mm:sszzz"), capacity = 1,
        };
        await app.ImportAsync("velbert", "slots", new[] { Slot("2021-05-07T09:00:00+02:00"), Slot("2021-05-07T09:30:00+02:00"), Slot("2021-05-07T10:00:00+02:00") });
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("L2", "mitte", "geburt", "09:15", phone: "02051 100002"),
            Booking("L1", "mitte", "geburt", "09:00", phone: "02051 100001"),
            Booking("L3", "mitte", "geburt", "09:30", phone: "02051 100003"),
            Booking("M", "mitte", "geburt", "10:00", phone: "0171 1000009"),
        });
        await app.ImportAsync("velbert", "bookings", new[]
        {
            new { externalRef = "E", officeId = "mitte", serviceId = "geburt", start = Full("11:00"), end = Full("11:15"), name = "Jane Doe", phone = "02051 100004", language = "en" },
        });
        outage = await app.DeclareAndCallAsync("velbert", Declare("07:00", "18:00"));
    }

    [TearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        await twilio.DisposeAsync();
    }

    NotificationDispatcher Dispatcher => app.Services.GetRequiredService<NotificationDispatcher>();
    VoiceDialer Dialer => app.Services.GetRequiredService<VoiceDialer>();

    FakeCall CallTo(string number) => twilio.Calls.Last(c => c.To == number);

    Task<string> Outcome(string reference) => app.ScalarAsync<string>(
        "SELECT a.outcome FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id WHERE b.external_ref = @R", new { R = reference });

    Task<string> Contact(string reference) => app.ScalarAsync<string>(
        "SELECT a.contact FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id WHERE b.external_ref = @R", new { R = reference });

    Task<string> NewStart(string reference) => app.ScalarAsync<string>(
        "SELECT n.start_utc FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id JOIN bookings n ON n.id = a.new_booking_id WHERE b.external_ref = @R", new { R = reference });

    static IEnumerable<XElement> Says(XElement twiml) => twiml.Descendants("Say");
    static string Spoken(XElement twiml) => string.Join(" | ", Says(twiml).Select(s => s.Value));

    [Test]
    public async Task LandlineCitizens_AreCalledSoonestFirst_FromTheVoiceNumber_WithMachineDetection_AndGetNoSms()
    {
        Assert.That(twilio.WireErrors, Is.Empty);
        var calls = twilio.Calls.ToList();
        Assert.That(calls.Select(c => c.To), Is.EqualTo(new[] { Land1, Land2, Land3, English }), "soonest appointment first; the mobile gets its SMS");
        Assert.That(calls.Select(c => c.From), Is.All.EqualTo(VoiceFrom));
        Assert.That(calls.Select(c => c.MachineDetection), Is.All.EqualTo("DetectMessageEnd"));
        Assert.That(calls.Select(c => c.Url), Is.All.Match(@"^https://termine\.velbert\.de/webhooks/twilio/voice/\d+$"), "our call id, never a link token");
        Assert.That(twilio.Requests.Select(r => r["To"]), Is.EqualTo(new[] { Mobile }));
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("contact").GetProperty("pending").GetInt32(), Is.EqualTo(4), "waiting for the calls to be answered");
        Assert.That(stats.GetProperty("contact").GetProperty("unreachable").GetInt32(), Is.Zero);

        await Dialer.RunPendingAsync();
        Assert.That(twilio.Calls, Has.Count.EqualTo(4), "a call that is ringing is not placed again");
        var logs = string.Join("\n", app.Logs);
        Assert.That(logs, Does.Not.Contain("100001").And.Not.Contain("100004").And.Not.Contain("Bürger"));
    }

    [Test]
    public async Task PressingOne_BooksTheFirstOffer_ExactlyAsTheLinkWould_AndReadsItBack()
    {
        var heard = await twilio.PlayAsync(app.Anonymous(), CallTo(Land1), Citizen.Presses("1"));

        Assert.That(twilio.WireErrors, Is.Empty);
        Assert.That(Spoken(heard[0]), Does.Contain("Stadt Velbert").And.Contain("Donnerstag, 6. Mai um neun Uhr im Servicebüro Mitte kann leider nicht stattfinden"));
        Assert.That(Spoken(heard[0]), Does.Contain("am Freitag, 7. Mai um neun Uhr im Servicebüro Mitte"));
        Assert.That(Spoken(heard[1]), Does.Contain("Ihr neuer Termin am Freitag, 7. Mai um neun Uhr im Servicebüro Mitte ist gebucht"));
        Assert.That(heard[1].Element("Gather"), Is.Null);
        Assert.That(await Outcome("L1"), Is.EqualTo("rebooked"));
        Assert.That(await NewStart("L1"), Does.StartWith("2021-05-07T07:00:00"));
        Assert.That(await app.ScalarAsync<int>("SELECT booked FROM slots WHERE start_utc LIKE '2021-05-07T07:00:00%'"), Is.EqualTo(1));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE kind = 'confirmation'"), Is.EqualTo(1), "the same confirmation as after the link");
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("outcome").GetProperty("rebooked").GetInt32(), Is.EqualTo(1));
        Assert.That(await Contact("L1"), Is.EqualTo("notified"));
    }

    [Test]
    public async Task KeyOne_AndALinkUser_RaceForTheLastUnit_AndOnlyOneGetsIt()
    {
        var token = LinkToken(twilio.Messages.Values.Single(m => m.To == Mobile).Body);
        var view = await app.Anonymous().GetFromJsonAsync<JsonElement>($"/api/rebook/{token}");
        var slotId = view.GetProperty("offers")[0].GetProperty("slotId").GetString();
        var call = CallTo(Land1);
        var first = await twilio.PlayAsync(app.Anonymous(), call, Citizen.Presses());  // hears the menu, keeps the line open

        var link = app.Anonymous().PostAsJsonAsync($"/api/rebook/{token}", new { slotId });
        var phone = FakeTwilio.PostSignedAsync(app.Anonymous(), first[0].Element("Gather")!.Attribute("action")!.Value,
            [new("CallSid", call.Sid), new("Digits", "1"), new("CallStatus", "in-progress")]);
        await Task.WhenAll(link, phone);

        Assert.That(await app.ScalarAsync<int>("SELECT booked FROM slots WHERE id = @Id", new { Id = long.Parse(slotId!) }), Is.EqualTo(1), "capacity 1 is never exceeded");
        var winners = new[] { await Outcome("M"), await Outcome("L1") };
        var linkWon = (await link).StatusCode == HttpStatusCode.OK;
        Assert.That(winners.Count(o => o == "rebooked"), Is.EqualTo(1), "one unit, one winner");
        var phoneSaid = await (await phone).Content.ReadAsStringAsync();
        if (linkWon)
        {
            Assert.That(await NewStart("M"), Does.StartWith("2021-05-07T07:00:00"));
            Assert.That(phoneSaid, Does.Contain("gerade vergeben").Or.Contain("09:30").Or.Contain("neun Uhr dreißig"), "the caller hears it is gone, and the next offer");
            Assert.That(await Outcome("L1"), Is.EqualTo("open"));
        }
        else
        {
            Assert.That(await NewStart("L1"), Does.StartWith("2021-05-07T07:00:00"));
            Assert.That(await Outcome("M"), Is.EqualTo("open"));
        }
        await app.StatsAsync("velbert", outage);
    }

    [Test]
    public async Task PressingTwoThenOne_BooksTheSecondOffer()
    {
        var heard = await twilio.PlayAsync(app.Anonymous(), CallTo(Land1), Citizen.Presses("2", "1"));

        Assert.That(Spoken(heard[1]), Does.Contain("Der nächste Termin").And.Contain("am Freitag, 7. Mai um neun Uhr dreißig"));
        Assert.That(Spoken(heard[2]), Does.Contain("neun Uhr dreißig").And.Contain("ist gebucht"));
        Assert.That(await NewStart("L1"), Does.StartWith("2021-05-07T07:30:00"));
        Assert.That(await app.ScalarAsync<int>("SELECT booked FROM slots WHERE start_utc LIKE '2021-05-07T07:00:00%'"), Is.Zero);
    }

    [Test]
    public async Task PressingThree_Declines_AndNothingIsBooked()
    {
        var heard = await twilio.PlayAsync(app.Anonymous(), CallTo(Land2), Citizen.Presses("3"));

        Assert.That(Spoken(heard[1]), Does.Contain("keinen neuen Termin gewählt"));
        Assert.That(await Outcome("L2"), Is.EqualTo("declined"));
        Assert.That(await app.ScalarAsync<int>("SELECT COALESCE(SUM(booked), 0) FROM slots"), Is.Zero);
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("outcome").GetProperty("declined").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task PressingNine_RepeatsEverything_AndAnUnknownKeyRepeatsTheMenu()
    {
        var heard = await twilio.PlayAsync(app.Anonymous(), CallTo(Land1), Citizen.Presses("9", "7"));

        Assert.That(Spoken(heard[1]), Does.Contain("kann leider nicht stattfinden").And.Contain("drücken Sie die 1"));
        Assert.That(Spoken(heard[2]), Does.Contain("Diese Taste kennen wir nicht").And.Contain("drücken Sie die 1"));
        Assert.That(await Outcome("L1"), Is.EqualTo("open"));
    }

    [Test]
    public async Task NoKeyTwice_HearsTheHotlineNumberSlowlyTwice_AndCountsAsNotified()
    {
        var heard = await twilio.PlayAsync(app.Anonymous(), CallTo(Land3), Citizen.Silent());

        Assert.That(heard, Has.Count.EqualTo(3), "first menu, once more after the first silence, then the end");
        Assert.That(Spoken(heard[1]), Does.Contain("keine Eingabe gehört"));
        Assert.That(heard[2].Element("Gather"), Is.Null);
        Assert.That(Says(heard[2]).Select(s => s.Value).Where(v => HotlineDigits.Contains(v)).Count(), Is.EqualTo(2), Spoken(heard[2]));
        Assert.That(heard[2].Elements("Pause").Count(), Is.GreaterThanOrEqualTo(4), "pauses around the number, so it can be written down");
        Assert.That(await Contact("L3"), Is.EqualTo("notified"));
        Assert.That(await Outcome("L3"), Is.EqualTo("open"));
    }

    [Test]
    public async Task AnsweringMachine_GetsAShortMessageWithNothingPersonal_AndCountsAsNotifiedNotRebooked()
    {
        var heard = await twilio.PlayAsync(app.Anonymous(), CallTo(Land2), Citizen.Machine());

        Assert.That(heard, Has.Count.EqualTo(1));
        Assert.That(heard[0].Element("Gather"), Is.Null, "a tape cannot press keys");
        Assert.That(heard[0].Element("Hangup"), Is.Not.Null);
        var spoken = Spoken(heard[0]);
        Assert.That(spoken, Does.Contain("Stadt Velbert").And.Contain("abgesagt").And.Contain(HotlineDigits[0]));
        Assert.That(spoken, Does.Not.Contain("Bürger").And.Not.Contain("L2").And.Not.Contain("Mai").And.Not.Contain("Servicebüro"), "no personal details on a tape");
        Assert.That(await Contact("L2"), Is.EqualTo("notified"));
        Assert.That(await Outcome("L2"), Is.EqualTo("open"));
        Assert.That(await app.ScalarAsync<string>("SELECT status FROM voice_calls WHERE call_sid = @S", new { S = CallTo(Land2).Sid }), Is.EqualTo("machine"));
    }

    [Test]
    public async Task BusyThreeTimes_IsRetriedAfterTwoHoursEach_ThenUnreachable_NotReachedByPhone()
    {
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            Assert.That(twilio.Calls.Count(c => c.To == Land1), Is.EqualTo(attempt));
            await twilio.PlayAsync(app.Anonymous(), CallTo(Land1), Citizen.Busy());
            Assert.That(await Contact("L1"), Is.EqualTo(attempt < 3 ? "pending" : "unreachable"));
            await app.StatsAsync("velbert", outage);
            app.Clock.Advance(TimeSpan.FromHours(2) - TimeSpan.FromSeconds(1));
            await Dialer.RunPendingAsync();
            Assert.That(twilio.Calls.Count(c => c.To == Land1), Is.EqualTo(attempt), "not before two hours");
            app.Clock.Advance(TimeSpan.FromSeconds(1));
            await Dialer.RunPendingAsync();
        }
        Assert.That(twilio.Calls.Count(c => c.To == Land1), Is.EqualTo(3), "at most three calls");
        Assert.That(await app.ScalarAsync<string>("SELECT status FROM voice_calls WHERE call_sid = @S", new { S = CallTo(Land1).Sid }), Is.EqualTo("unreachable"));
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("contact").GetProperty("unreachable").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task ForgedOrUnsignedRequests_OnEveryVoiceEndpoint_Get403_AndChangeNothing()
    {
        var call = CallTo(Land1);
        var id = call.Url[(call.Url.LastIndexOf('/') + 1)..];
        List<KeyValuePair<string, string>> Form(string status, string? digits = null) =>
            digits is null ? [new("CallSid", call.Sid), new("CallStatus", status), new("AnsweredBy", "human")]
                           : [new("CallSid", call.Sid), new("CallStatus", status), new("Digits", digits)];
        var before = (await app.StatsAsync("velbert", outage)).ToString();
        string[] urls = [call.Url, call.Url + "/gather", call.StatusCallback];
        foreach (var url in urls)
        {
            var forged = await FakeTwilio.PostSignedAsync(app.Anonymous(), url, Form(url.EndsWith("status") ? "busy" : "in-progress", url.EndsWith("gather") ? "1" : null),
                signature: "forged0000000000000000000000=");
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), url);
            Assert.That(forged.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
            var unsigned = await app.Anonymous().PostAsync(new Uri(url).PathAndQuery, new FormUrlEncodedContent(Form("busy")));
            Assert.That(unsigned.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), url);
            // Signed for another URL (a replay against another call id).
            var replay = await FakeTwilio.PostSignedAsync(app.Anonymous(), url, Form("busy"), signature: FakeTwilio.Sign(url.Replace($"/voice/{id}", "/voice/999"), Form("busy")));
            Assert.That(replay.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), url);
        }
        // Correctly signed but for a CallSid that is not this call's: a hang-up, nothing changes.
        var stranger = await FakeTwilio.PostSignedAsync(app.Anonymous(), call.Url, [new("CallSid", "CA" + new string('f', 32)), new("CallStatus", "in-progress"), new("AnsweredBy", "human")]);
        Assert.That(await stranger.Content.ReadAsStringAsync(), Does.Contain("<Hangup").And.Not.Contain("<Say"));

        Assert.That((await app.StatsAsync("velbert", outage)).ToString(), Is.EqualTo(before));
        Assert.That(await app.ScalarAsync<string>("SELECT status FROM voice_calls WHERE call_sid = @S", new { S = call.Sid }), Is.EqualTo("calling"));
        Assert.That(await app.ScalarAsync<int>("SELECT attempts FROM voice_calls WHERE call_sid = @S", new { S = call.Sid }), Is.EqualTo(1));
    }

    [Test]
    public async Task Instructions_InGermanAndEnglish_HaveTheExpectedStructure_AndNoNameOrReferenceIsSpoken()
    {
        var german = (await twilio.PlayAsync(app.Anonymous(), CallTo(Land1), Citizen.Presses()))[0];
        var english = (await twilio.PlayAsync(app.Anonymous(), CallTo(English), Citizen.Presses()))[0];

        foreach (var (twiml, language, voice, keys) in new[]
        {
            (german, "de-DE", "Polly.Vicki", new[] { "drücken Sie die 1", "drücken Sie die 2", "drücken Sie die 3", "drücken Sie die 9" }),
            (english, "en-GB", "Polly.Amy", new[] { "press 1", "press 2", "press 3", "press 9" }),
        })
        {
            Assert.That(twiml.Name.LocalName, Is.EqualTo("Response"));
            Assert.That(twiml.Elements().Select(e => e.Name.LocalName).Distinct(), Is.EquivalentTo(new[] { "Say", "Pause", "Gather" }));
            Assert.That(Says(twiml).Select(s => s.Attribute("language")?.Value), Is.All.EqualTo(language));
            Assert.That(Says(twiml).Select(s => s.Attribute("voice")?.Value), Is.All.EqualTo(voice));
            var gather = twiml.Elements("Gather").Single();
            Assert.That(twiml.Elements().Last(), Is.SameAs(gather), "the menu comes last");
            Assert.That(gather.Attribute("input")?.Value, Is.EqualTo("dtmf"));
            Assert.That(gather.Attribute("numDigits")?.Value, Is.EqualTo("1"));
            Assert.That(gather.Attribute("method")?.Value, Is.EqualTo("POST"));
            Assert.That(gather.Attribute("action")?.Value, Does.Match(@"^https://termine\.velbert\.de/webhooks/twilio/voice/\d+/gather$"));
            var menu = string.Join(" ", gather.Elements("Say").Select(s => s.Value));
            foreach (var key in keys) Assert.That(menu, Does.Contain(key));
            var spoken = Spoken(twiml);
            Assert.That(spoken, Does.Not.Contain("Bürger").And.Not.Contain("Jane").And.Not.Contain("Doe"), "no name");
            Assert.That(spoken, Does.Not.Match(@"\bL1\b|\bE\b|/r/|-R\d"), "no booking reference, no link");
            Assert.That(spoken, Does.Not.Match(@"\d\d:\d\d"), "times as words");
        }
        Assert.That(Spoken(english), Does.Contain("Unfortunately, your appointment on Thursday, 6 May at eleven a.m. at Servicebüro Mitte cannot take place"));
    }

    [Test]
    public async Task Reinstatement_CallsWhoWasReached_AndTakesWhoWasOnlyWaitingOffTheQueue()
    {
        await twilio.PlayAsync(app.Anonymous(), CallTo(Land3), Citizen.Presses());   // heard the message, pressed nothing
        await twilio.PlayAsync(app.Anonymous(), CallTo(Land2), Citizen.Busy());      // waits for a second attempt

        var patched = await app.Admin().PatchAsJsonAsync($"/api/tenants/velbert/outages/{outage}", new { end = Full("09:10") });
        Assert.That(patched.IsSuccessStatusCode, Is.True, await patched.Content.ReadAsStringAsync());
        await app.ProcessAsync();
        await Dispatcher.RunPendingAsync();
        await Dialer.RunPendingAsync();

        var again = twilio.Calls.Where(c => c.To == Land3).ToList();
        Assert.That(again, Has.Count.EqualTo(2), "the reached citizen is called once more");
        var heard = await twilio.PlayAsync(app.Anonymous(), again[1], Citizen.Presses());
        Assert.That(Spoken(heard[0]), Does.Contain("findet doch statt").And.Contain("Donnerstag, 6. Mai um neun Uhr dreißig"));
        Assert.That(heard[0].Element("Gather"), Is.Null);
        Assert.That(await Outcome("L3"), Is.EqualTo("reinstated"));

        app.Clock.Advance(TimeSpan.FromHours(3));
        await Dialer.RunPendingAsync();
        Assert.That(twilio.Calls.Count(c => c.To == Land2), Is.EqualTo(1), "the untold citizen's booking simply stands; no call");
        Assert.That(await app.ScalarAsync<string>("SELECT status FROM voice_calls WHERE call_sid = @S", new { S = CallTo(Land2).Sid }), Is.EqualTo("withdrawn"));
        Assert.That(twilio.Calls.Count(c => c.To == Land3), Is.EqualTo(2), "the reinstatement call is made once");
        await app.StatsAsync("velbert", outage);
    }

    [Test]
    public async Task TheConsole_ShowsCallCounts_TheCallListKeepsOnlyThoseNotReachedByPhone_AndTheHotlineSeesTheCall()
    {
        await ConsoleSession.AddAccountAsync(app, "clerk@velbert.example", Rebooking.Access.Roles.Clerk, "velbert");
        var session = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        static async Task<string> Page(ConsoleSession session, string path) => WebUtility.HtmlDecode(await session.Client.GetStringAsync(path));
        await twilio.PlayAsync(app.Anonymous(), CallTo(Land2), Citizen.Machine());
        var first = await Page(session, $"/staff/outages/{outage}");
        Assert.That(first, Does.Contain("4 Anrufe, davon 1 angenommen (Person oder Anrufbeantworter), 3 ausstehend"));
        await twilio.PlayAsync(app.Anonymous(), CallTo(Land3), Citizen.Presses("3"));
        await twilio.PlayAsync(app.Anonymous(), CallTo(English), Citizen.Presses());
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            var list = await Page(session, $"/staff/outages/{outage}/calls");
            Assert.That(list, Does.Not.Contain("Bürger L1"), "not on the call list while calls are still to come");
            await twilio.PlayAsync(app.Anonymous(), CallTo(Land1), Citizen.Busy());
            app.Clock.Advance(TimeSpan.FromHours(2));
            await Dialer.RunPendingAsync();
        }

        var calls = await Page(session, $"/staff/outages/{outage}/calls");
        Assert.That(calls, Does.Contain("Bürger L1").And.Contain("telefonisch nicht erreicht"));
        Assert.That(calls, Does.Not.Contain("Bürger L2").And.Not.Contain("Bürger L3").And.Not.Contain("Jane Doe"), "reached by phone: not on the list");
        var page = await Page(session, $"/staff/outages/{outage}");
        Assert.That(page, Does.Contain("6 Anrufe, davon 3 angenommen (Person oder Anrufbeantworter), 0 ausstehend"), "L1 three times, L2, L3 and E once");
        var affected = await app.ScalarAsync<long>("SELECT a.id FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id WHERE b.external_ref = 'L2'");
        var hotline = await Page(session, $"/staff/tenants/velbert/hotline/{affected}");
        Assert.That(hotline, Does.Contain("Angerufen").And.Contain("Nachricht auf dem Anrufbeantworter hinterlassen (1 Anruf(e), zuletzt"));
    }
}
