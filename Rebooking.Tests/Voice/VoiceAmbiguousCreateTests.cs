using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using Rebooking.Voice;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Voice;

/// <summary>
/// A create whose answer is lost (the fake Twilio holds it past the client's 1 s timeout) must never make a phone
/// ring twice in one attempt: the attempt waits for Twilio's signed requests for our call id, and after
/// <c>Voice:CallTimeout</c> asks Twilio's list of calls before it counts as failed.
/// </summary>
public sealed class VoiceAmbiguousCreateTests
{
    FakeTwilio twilio = null!;
    RebookingApp app = null!;
    Guid outage;

    const string Land1 = "+492051100001", Land2 = "+492051100002";
    static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(30), RetryAfter = TimeSpan.FromHours(2);
    static readonly TimeSpan PastTheClientTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Starts the app with <paramref name="land1"/> as the fake's answer to the first create for L1; the others are created.</summary>
    async Task StartAsync(FakeTwilio.Reply land1)
    {
        twilio = await FakeTwilio.StartAsync();
        var first = true;
        twilio.CallScript = form =>
        {
            if (form["To"] != Land1 || !first) return FakeTwilio.Reply.Created();
            first = false;
            return land1;
        };
        app = await RebookingApp.StartAsync(settings: VoiceCallTests.VoiceSettings(twilio), now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
        twilio.Now = app.Clock.GetUtcNow;
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "slots", new[]
        {
            new { officeId = "mitte", serviceId = (string?)null, start = Full("2021-05-07T09:00:00+02:00"), end = Full("2021-05-07T09:15:00+02:00"), capacity = 1 },
        });
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("L1", "mitte", "geburt", "09:00", phone: "02051 100001"),
            Booking("L2", "mitte", "geburt", "09:15", phone: "02051 100002"),
        });
        outage = await app.DeclareAndCallAsync("velbert", Declare("07:00", "18:00"));
    }

    [TearDown]
    public async Task Stop()
    {
        await app.DisposeAsync();
        await twilio.DisposeAsync();
    }

    VoiceDialer Dialer => app.Services.GetRequiredService<VoiceDialer>();

    Task<T> Call<T>(string column) => app.ScalarAsync<T>(
        $"SELECT c.{column} FROM voice_calls c JOIN affected_bookings a ON a.id = c.affected_id JOIN bookings b ON b.id = a.booking_id WHERE b.external_ref = 'L1' AND c.kind = 'cancellation'");

    Task<string> AffectedColumn(string column) => app.ScalarAsync<string>(
        $"SELECT a.{column} FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id WHERE b.external_ref = 'L1'");

    int Rang(string number) => twilio.Calls.Count(c => c.To == number);
    int Asked(string number) => twilio.CallRequests.Count(r => r["To"] == number);

    [Test]
    public async Task CreateTimesOut_ButTheCallIsPlaced_AndAPersonPressesOne_IsBookedOnce_WithOneRingAndOneAttempt()
    {
        await StartAsync(FakeTwilio.Reply.StallThenCreate(PastTheClientTimeout));

        Assert.That(Rang(Land1), Is.EqualTo(1), "Twilio placed the call although its answer never arrived");
        Assert.That(await Call<string>("status"), Is.EqualTo("calling"), "the attempt waits for Twilio");
        Assert.That(await Call<string?>("call_sid"), Is.Null);
        Assert.That(await Call<int>("attempts"), Is.EqualTo(1));
        await Dialer.RunPendingAsync();
        Assert.That(Asked(Land1), Is.EqualTo(1), "a waiting attempt is not dialled again");

        var call = twilio.Calls.Single(c => c.To == Land1);
        var heard = await twilio.PlayAsync(app.Anonymous(), call, Citizen.Presses("1"));

        Assert.That(heard[0].Element("Gather"), Is.Not.Null, "the instructions request for our call id brought the CallSid: the menu, not a hang-up");
        Assert.That(string.Join(" ", heard[1].Descendants("Say").Select(s => s.Value)), Does.Contain("ist gebucht"));
        Assert.That(await Call<string>("call_sid"), Is.EqualTo(call.Sid));
        Assert.That(await Call<string>("status"), Is.EqualTo("answered"));
        Assert.That(await AffectedColumn("outcome"), Is.EqualTo("rebooked"));
        Assert.That(await AffectedColumn("contact"), Is.EqualTo("notified"));
        Assert.That(await app.ScalarAsync<int>("SELECT booked FROM slots"), Is.EqualTo(1), "booked once");

        // Much later: nothing is retried, nothing rings again.
        app.Clock.Advance(CallTimeout + RetryAfter + TimeSpan.FromMinutes(1));
        await Dialer.RunPendingAsync();
        Assert.That(Rang(Land1), Is.EqualTo(1), "exactly one call rang");
        Assert.That(Asked(Land1), Is.EqualTo(1));
        Assert.That(await Call<int>("attempts"), Is.EqualTo(1));
        Assert.That(twilio.CallListRequests, Is.Empty, "an adopted call needs no reconciling");
        Assert.That(twilio.WireErrors, Is.Empty);
        var logs = string.Join("\n", app.Logs);
        Assert.That(logs, Does.Contain("adopted").And.Not.Contain("100001"));
        await app.StatsAsync("velbert", outage);
    }

    [Test]
    public async Task CreateTimesOut_AndTheCallWasNeverPlaced_FailsOnlyAfterTheCallTimeout_ThenIsRetried_OneRingPerAttempt()
    {
        await StartAsync(FakeTwilio.Reply.StallWithoutCreating(PastTheClientTimeout));
        Assert.That(Asked(Land1), Is.EqualTo(1));
        Assert.That(Rang(Land1), Is.Zero);

        app.Clock.Advance(CallTimeout - TimeSpan.FromSeconds(1));
        await Dialer.RunPendingAsync();
        Assert.That(await Call<string>("status"), Is.EqualTo("calling"), "still within Voice:CallTimeout: Twilio may yet call back");
        Assert.That(twilio.CallListRequests, Is.Empty);

        app.Clock.Advance(TimeSpan.FromSeconds(2));
        await Dialer.RunPendingAsync();
        Assert.That(twilio.CallListRequests, Has.Count.EqualTo(1), "Twilio is asked before the attempt counts as failed");
        var query = System.Web.HttpUtility.ParseQueryString(twilio.CallListRequests.Single());
        Assert.That(query["To"], Is.EqualTo(Land1));
        Assert.That(query["From"], Is.EqualTo(VoiceCallTests.VoiceFrom));
        Assert.That(await Call<string>("status"), Is.EqualTo("queued"), "failed: queued for the next attempt");
        Assert.That(await Call<string>("last_result"), Is.EqualTo("failed"));
        Assert.That(await Call<int>("attempts"), Is.EqualTo(1));
        Assert.That(await AffectedColumn("contact"), Is.EqualTo("pending"));

        app.Clock.Advance(RetryAfter - TimeSpan.FromSeconds(2));
        await Dialer.RunPendingAsync();
        Assert.That(Asked(Land1), Is.EqualTo(1), "not before Voice:RetryAfter");
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        await Dialer.RunPendingAsync();
        Assert.That(Asked(Land1), Is.EqualTo(2));
        Assert.That(Rang(Land1), Is.EqualTo(1), "one ring in total: none for the lost attempt, one for the second");
        Assert.That(await Call<int>("attempts"), Is.EqualTo(2));
        Assert.That(await Call<string>("call_sid"), Is.EqualTo(twilio.Calls.Single(c => c.To == Land1).Sid));
        Assert.That(twilio.WireErrors, Is.Empty);
        await app.StatsAsync("velbert", outage);
    }

    [Test]
    public async Task CreateTimesOut_TheCallRangUnanswered_AndItsCallbackWasLost_ReconcilingAdoptsItsSidAndStatus()
    {
        await StartAsync(FakeTwilio.Reply.StallThenCreate(PastTheClientTimeout));
        var call = twilio.Calls.Single(c => c.To == Land1);
        twilio.SetCallStatus(call.Sid, "no-answer");   // Twilio's status callback never reached us

        app.Clock.Advance(CallTimeout + TimeSpan.FromSeconds(1));
        await Dialer.RunPendingAsync();

        Assert.That(twilio.CallListRequests, Has.Count.EqualTo(1));
        Assert.That(await Call<string>("call_sid"), Is.EqualTo(call.Sid), "Twilio's call is this attempt's");
        Assert.That(await Call<string>("last_result"), Is.EqualTo("no-answer"), "its status counts as the callback would have");
        Assert.That(await Call<string>("status"), Is.EqualTo("queued"));
        Assert.That(await Call<int>("attempts"), Is.EqualTo(1));

        // A late callback for the same call changes nothing more.
        await FakeTwilio.PostSignedAsync(app.Anonymous(), call.StatusCallback,
            [new("CallSid", call.Sid), new("CallStatus", "no-answer"), new("To", Land1), new("From", VoiceCallTests.VoiceFrom)]);
        Assert.That(await Call<string>("status"), Is.EqualTo("queued"));

        app.Clock.Advance(RetryAfter);
        await Dialer.RunPendingAsync();
        Assert.That(Rang(Land1), Is.EqualTo(2), "the second attempt rings once");
        Assert.That(await Call<int>("attempts"), Is.EqualTo(2));
    }

    [Test]
    public async Task A5xxWithoutABody_ButTheCallIsPlaced_AndBusy_IsRecordedForThatCall_AndRetriedWithOneRingPerAttempt()
    {
        await StartAsync(FakeTwilio.Reply.GatewayErrorPage(createdAnyway: true));
        Assert.That(await Call<string>("status"), Is.EqualTo("calling"), "a proxy's error page leaves the outcome unknown");
        Assert.That(await Call<string?>("call_sid"), Is.Null);

        var call = twilio.Calls.Single(c => c.To == Land1);
        await twilio.PlayAsync(app.Anonymous(), call, Citizen.Busy());
        Assert.That(await Call<string>("call_sid"), Is.EqualTo(call.Sid), "the status callback for our call id brought the CallSid");
        Assert.That(await Call<string>("last_result"), Is.EqualTo("busy"));
        Assert.That(await Call<string>("status"), Is.EqualTo("queued"));

        app.Clock.Advance(RetryAfter);
        await Dialer.RunPendingAsync();
        Assert.That(Rang(Land1), Is.EqualTo(2));
        Assert.That(Asked(Land1), Is.EqualTo(2));
        Assert.That(await Call<int>("attempts"), Is.EqualTo(2));
    }

    [Test]
    public async Task ReconcilingASecondAttempt_NeverAdoptsTheFirstAttemptsCall()
    {
        await StartAsync(FakeTwilio.Reply.Created());
        var first = twilio.Calls.Single(c => c.To == Land1);
        await twilio.PlayAsync(app.Anonymous(), first, Citizen.Busy());
        twilio.CallScript = form => form["To"] == Land1 ? FakeTwilio.Reply.StallWithoutCreating(PastTheClientTimeout) : FakeTwilio.Reply.Created();
        app.Clock.Advance(RetryAfter);
        await Dialer.RunPendingAsync();
        Assert.That(Asked(Land1), Is.EqualTo(2));

        app.Clock.Advance(CallTimeout + TimeSpan.FromSeconds(1));
        await Dialer.RunPendingAsync();

        Assert.That(twilio.CallListRequests, Has.Count.EqualTo(1), "Twilio was asked, and listed the first attempt's call");
        Assert.That(await Call<string?>("call_sid"), Is.Null, "created before this attempt began: not this attempt's call");
        Assert.That(await Call<string>("last_result"), Is.EqualTo("failed"));
        Assert.That(await Call<string>("status"), Is.EqualTo("queued"));
    }

    [Test]
    public async Task ForgedSignature_OnARequestWithAnUnknownCallSid_Gets403_AndNothingIsAdopted()
    {
        await StartAsync(FakeTwilio.Reply.StallThenCreate(PastTheClientTimeout));
        var call = twilio.Calls.Single(c => c.To == Land1);
        List<KeyValuePair<string, string>> form = [new("CallSid", call.Sid), new("CallStatus", "in-progress"), new("AnsweredBy", "human")];

        foreach (var url in new[] { call.Url, call.StatusCallback })
        {
            var forged = await FakeTwilio.PostSignedAsync(app.Anonymous(), url, form, signature: "forged0000000000000000000000=");
            Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), url);
            var unsigned = await app.Anonymous().PostAsync(new Uri(url).PathAndQuery, new FormUrlEncodedContent(form));
            Assert.That(unsigned.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), url);
        }
        Assert.That(await Call<string?>("call_sid"), Is.Null, "nothing adopted");
        Assert.That(await Call<string>("status"), Is.EqualTo("calling"));
        Assert.That(await AffectedColumn("contact"), Is.EqualTo("pending"));
    }

    [Test]
    public async Task ASignedRequest_WithAnotherCallSid_ForAnAttemptThatHasOne_HearsAHangUp_AndChangesNothing()
    {
        await StartAsync(FakeTwilio.Reply.StallThenCreate(PastTheClientTimeout));
        var call = twilio.Calls.Single(c => c.To == Land1);
        var status = await FakeTwilio.PostSignedAsync(app.Anonymous(), call.StatusCallback, [new("CallSid", call.Sid), new("CallStatus", "ringing")]);
        Assert.That(status.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Call<string>("call_sid"), Is.EqualTo(call.Sid), "the first signed request, here a status callback, brings the CallSid");
        Assert.That(await Call<string>("status"), Is.EqualTo("calling"), "ringing is not a final status");

        var other = "CA" + new string('e', 32);
        var instructions = await FakeTwilio.PostSignedAsync(app.Anonymous(), call.Url, [new("CallSid", other), new("CallStatus", "in-progress"), new("AnsweredBy", "human")]);
        Assert.That(await instructions.Content.ReadAsStringAsync(), Does.Contain("<Hangup").And.Not.Contain("<Say"));
        await FakeTwilio.PostSignedAsync(app.Anonymous(), call.StatusCallback, [new("CallSid", other), new("CallStatus", "busy")]);

        Assert.That(await Call<string>("call_sid"), Is.EqualTo(call.Sid), "never replaced");
        Assert.That(await Call<string>("status"), Is.EqualTo("calling"));
        Assert.That(await Call<string?>("last_result"), Is.Null);
        Assert.That(await AffectedColumn("contact"), Is.EqualTo("pending"));
    }
}
