using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using Rebooking.Voice;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Voice;

public sealed class CallingHoursTests
{
    static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

    static DateTimeOffset Next(string hours, string instant) => CallingHours.Parse(hours).NextOpening(DateTimeOffset.Parse(instant), Berlin);

    [Test]
    public void ADeclarationAt21OnAWeekday_WaitsFor09NextMorning_AndInsideTheHoursCallsAtOnce()
    {
        Assert.That(Next(CallingHours.Default, "2021-05-06T21:00:00+02:00"), Is.EqualTo(DateTimeOffset.Parse("2021-05-07T09:00:00+02:00")));
        Assert.That(Next(CallingHours.Default, "2021-05-07T08:59:59+02:00"), Is.EqualTo(DateTimeOffset.Parse("2021-05-07T09:00:00+02:00")));
        Assert.That(Next(CallingHours.Default, "2021-05-07T18:59:00+02:00"), Is.EqualTo(DateTimeOffset.Parse("2021-05-07T18:59:00+02:00")));
        Assert.That(Next(CallingHours.Default, "2021-05-07T19:00:00+02:00"), Is.EqualTo(DateTimeOffset.Parse("2021-05-08T09:00:00+02:00")), "19:00 is already closed");
    }

    [Test]
    public void NeverOnASunday_ASaturdayEveningWaitsForMonday_AcrossTheSpringDstNight()
    {
        // Saturday 27 March 2021, 21:00 CET; the clocks go forward in the night to Sunday; Monday 09:00 is CEST.
        Assert.That(Next(CallingHours.Default, "2021-03-27T21:00:00+01:00"), Is.EqualTo(DateTimeOffset.Parse("2021-03-29T09:00:00+02:00")));
        Assert.That(Next(CallingHours.Default, "2021-03-28T12:00:00+02:00"), Is.EqualTo(DateTimeOffset.Parse("2021-03-29T09:00:00+02:00")), "Sunday noon");
    }

    [Test]
    public void OnTheDstNights_NineOClockIsLocalNine_NotTwelveHoursAfterTheEvening()
    {
        const string everyDay = "Mon-Sun 09:00-19:00";
        Assert.That(Next(everyDay, "2021-03-27T21:00:00+01:00"), Is.EqualTo(DateTimeOffset.Parse("2021-03-28T09:00:00+02:00")), "spring: 11 hours later");
        Assert.That(Next(everyDay, "2021-10-30T21:00:00+02:00"), Is.EqualTo(DateTimeOffset.Parse("2021-10-31T09:00:00+01:00")), "autumn: 13 hours later");
        Assert.That(Next("Mon-Sun 02:30-04:00", "2021-03-28T01:00:00+01:00"), Is.EqualTo(DateTimeOffset.Parse("2021-03-28T03:00:00+02:00")),
            "02:30 does not exist that night: the window opens at the first valid local time");
    }

    [Test]
    public void Settings_AreReadAsDocumented_AndNonsenseIsRefused()
    {
        Assert.That(CallingHours.TryParse("Mon-Sun 00:00-24:00", out var always), Is.True);
        Assert.That(always!.IsOpen(DateTimeOffset.Parse("2021-03-28T02:59:00+01:00"), Berlin), Is.True);
        Assert.That(CallingHours.TryParse("Mon-Fri 09:00-19:00; Sat 10:00-14:00", out var split), Is.True);
        Assert.That(split!.NextOpening(DateTimeOffset.Parse("2021-05-08T09:00:00+02:00"), Berlin), Is.EqualTo(DateTimeOffset.Parse("2021-05-08T10:00:00+02:00")));
        foreach (var bad in new[] { "", "Mon-Sat", "Mon-Sat 19:00-09:00", "Mo-Sa 09:00-19:00", "Mon-Sat 9:00-19:00", "Mon-Sat 09:00-25:00" })
            Assert.That(CallingHours.TryParse(bad, out _), Is.False, bad);
    }

    [Test]
    public async Task TheDialer_OnTheSpringDstNight_CallsNobodyBefore09Local_WithAFakeClock()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        var settings = VoiceCallTests.VoiceSettings(twilio);
        settings["Voice:Hours"] = "Mon-Sun 09:00-19:00";
        // Saturday 21:00 CET, the night the clocks go forward; the outage is on Monday.
        await using var app = await RebookingApp.StartAsync(settings: settings, now: DateTimeOffset.Parse("2021-03-27T21:00:00+01:00"));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[] { Booking("L", "mitte", "geburt", "2021-03-29T09:00:00+02:00", phone: "02051 100001") });
        await app.DeclareAsync("velbert", Declare("2021-03-29T07:00:00+02:00", "2021-03-29T18:00:00+02:00"));
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var dialer = app.Services.GetRequiredService<VoiceDialer>();

        await dialer.RunPendingAsync();
        Assert.That(twilio.Calls, Is.Empty, "21:00 is outside the hours");
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2021-03-28T08:59:59+02:00"));
        await dialer.RunPendingAsync();
        Assert.That(twilio.Calls, Is.Empty, "08:59:59 CEST is still before the hours");
        app.Clock.SetUtcNow(DateTimeOffset.Parse("2021-03-28T09:00:00+02:00"));
        await dialer.RunPendingAsync();
        Assert.That(twilio.Calls, Has.Count.EqualTo(1), "09:00 CEST, not 09:00 at the evening's CET offset (10:00 CEST)");
    }
}
