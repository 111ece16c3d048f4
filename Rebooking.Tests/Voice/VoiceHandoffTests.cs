using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using Rebooking.Voice;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Voice;

public sealed class VoiceHandoffTests
{
    [Test]
    public async Task ANumberTwilioRefusesForSmsAsNotAMobile_IsCalledInstead_AndWithVoiceOffStaysUnreachable()
    {
        foreach (var enabled in new[] { true, false })
        {
            await using var twilio = await FakeTwilio.StartAsync();
            twilio.Script = _ => FakeTwilio.Reply.Error(21614);
            var settings = VoiceCallTests.VoiceSettings(twilio);
            settings["Voice:Enabled"] = enabled ? "true" : "false";
            await using var app = await RebookingApp.StartAsync(settings: settings, now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
            await app.PutTenantAsync("velbert");
            await app.ImportAsync("velbert", "bookings", new[] { Booking("N", "mitte", "geburt", "09:00", phone: "0171 1000010") });
            var outage = await app.DeclareAndCallAsync("velbert", Declare("07:00", "18:00"));

            Assert.That(twilio.Requests, Has.Count.EqualTo(1), "one SMS attempt, refused with 21614");
            var stats = await app.StatsAsync("velbert", outage);
            if (!enabled)
            {
                Assert.That(twilio.Calls, Is.Empty);
                Assert.That(stats.GetProperty("contact").GetProperty("unreachable").GetInt32(), Is.EqualTo(1));
                continue;
            }
            Assert.That(twilio.Calls.Select(c => c.To), Is.EqualTo(new[] { "+491711000010" }));
            Assert.That(stats.GetProperty("contact").GetProperty("pending").GetInt32(), Is.EqualTo(1), "waiting for the call");
            Assert.That(await app.ScalarAsync<string>("SELECT error_code FROM notifications WHERE kind = 'cancellation'"), Is.EqualTo("voice"));
            await twilio.PlayAsync(app.Anonymous(), twilio.Calls.Single(), Citizen.Machine());
            stats = await app.StatsAsync("velbert", outage);
            Assert.That(stats.GetProperty("contact").GetProperty("notified").GetInt32(), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task ALandlineCitizenWaitingForTheCall_GetsNoMessageRow_WhenTheOutageIsConvergedAgain()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await RebookingApp.StartAsync(settings: VoiceCallTests.VoiceSettings(twilio), now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("L", "mitte", "geburt", "09:00", phone: "02051 100001"),
            Booking("M", "mitte", "geburt", "10:00", phone: "0171 1000011"),
        });
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "12:00"));
        await app.ProcessAsync();
        // Extending the outage converges it again, with the catch-up of missing cancellations.
        var extend = await app.Admin().PatchAsJsonAsync($"/api/tenants/velbert/outages/{outage}", new { end = Full("18:00") });
        Assert.That(extend.IsSuccessStatusCode, Is.True, await extend.Content.ReadAsStringAsync());
        await app.ProcessAsync();

        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM voice_calls WHERE kind = 'cancellation'"), Is.EqualTo(1), "L is called");
        Assert.That(await app.ScalarAsync<int>("""
            SELECT COUNT(*) FROM notifications n JOIN bookings b ON b.id = n.booking_id WHERE b.external_ref = 'L'
            """), Is.Zero, "no message row for a citizen only a call can reach");
        Assert.That(await app.ScalarAsync<int>("""
            SELECT COUNT(*) FROM notifications n JOIN bookings b ON b.id = n.booking_id WHERE b.external_ref = 'M' AND n.kind = 'cancellation'
            """), Is.EqualTo(1), "M's SMS is queued once");
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("contact").GetProperty("pending").GetInt32(), Is.EqualTo(2), "both still to be told");
    }
}
