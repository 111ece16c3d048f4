using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using Rebooking.Voice;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Voice;

/// <summary>How long the demo day's 23 landline calls take at the default 1 call per second, with every retry (docs/performance.md).</summary>
public sealed class VoiceDemoDayTests
{
    [Test]
    public async Task TwentyThreeCalls_AtOnePerSecond_TakeAtLeastTwentyTwoSecondsARound_AndAllThreeRoundsAboutFourHours()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var settings = VoiceCallTests.VoiceSettings(twilio);
        settings["Voice:RatePerSecond"] = "1";  // the default: Twilio's 1 call per second for an account
        // Thursday 08:00: an outage declared before the office opens; calls may start at 09:00.
        await using var app = await RebookingApp.StartAsync(settings: settings, now: DateTimeOffset.Parse("2021-05-06T08:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", Enumerable.Range(0, 23)
            .Select(i => Booking($"L{i:00}", "mitte", "geburt", SixSecondsApart("2021-05-07T09:00:00+02:00", i * 50), phone: $"02051 1{i:00}000")).ToArray());
        var outage = await app.DeclareAsync("velbert", Declare("2021-05-07T07:00:00+02:00", "2021-05-07T18:00:00+02:00"));
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var dialer = app.Services.GetRequiredService<VoiceDialer>();
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2021-05-06T09:00:00+02:00"));
        var firstCall = app.Clock.GetUtcNow();

        var rounds = new List<TimeSpan>();
        for (var round = 1; round <= 3; round++)
        {
            var before = twilio.Calls.Count;
            var started = app.Clock.GetUtcNow();
            var run = dialer.RunPendingAsync();
            // The dialer waits on the app's clock between calls: move it on in small steps until the round is placed.
            while (!run.IsCompleted)
            {
                await Task.Delay(2);
                app.Clock.Advance(TimeSpan.FromMilliseconds(50));
            }
            Assert.That(await run, Is.EqualTo(23));
            rounds.Add(app.Clock.GetUtcNow() - started);
            foreach (var call in twilio.Calls.Skip(before)) await twilio.PlayAsync(app.Anonymous(), call, Citizen.Busy());
            if (round < 3) app.Clock.Advance(TimeSpan.FromHours(2));
        }
        var lastCall = app.Clock.GetUtcNow();

        Assert.That(twilio.Calls, Has.Count.EqualTo(69), "23 citizens, three attempts each");
        // Never faster than the rate (22 s between the first and the 23rd start); the fake clock also runs on while the
        // dialer does its own database work between calls, which is what a round takes beyond 22 s here.
        foreach (var took in rounds) Assert.That(took.TotalSeconds, Is.InRange(22, 30), "23 starts at least one second apart");
        TestContext.Out.WriteLine($"rounds: {string.Join(", ", rounds.Select(r => r.TotalSeconds.ToString("0.0")))} s; first call to last: {lastCall - firstCall}");
        Assert.That(lastCall - firstCall, Is.InRange(TimeSpan.FromHours(4), TimeSpan.FromHours(4) + TimeSpan.FromMinutes(2)));
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("contact").GetProperty("unreachable").GetInt32(), Is.EqualTo(23));
    }
}
