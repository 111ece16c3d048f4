using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Data;
using Rebooking.Notifications;
using Rebooking.Outages;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Outages;

/// <summary>DSGVO retention on every configured provider: personal data goes, the figures stay.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class RetentionTests(DatabaseProvider provider)
{
    [Test]
    public async Task ThirtyDaysAfterResolution_NamesPhonesAndEmailsAreRemoved_TheFiguresStay_AndALaterOutageIsUntouched()
    {
        await using var app = await RebookingApp.StartAsync(provider, now: DateTimeOffset.Parse("2021-05-06T06:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("OLD-1", "mitte", "geburt", "09:00", email: "erika@example.org"), Booking("OLD-2", "mitte", "geburt", "10:00", phone: null),
            Booking("NEW-1", "mitte", "geburt", "2021-06-07T09:00:00+02:00"),
        });
        var old = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        app.Clock.Advance(TimeSpan.FromHours(13)); // 19:00, after the outage
        Assert.That((await app.Admin().PostAsJsonAsync($"/api/tenants/velbert/outages/{old}/resolve", new { at = Full("18:00") })).IsSuccessStatusCode, Is.True);
        await app.ProcessAsync();
        var before = await app.StatsAsync("velbert", old);
        var retention = app.Services.GetRequiredService<DataRetention>();

        app.Clock.Advance(TimeSpan.FromDays(29));
        Assert.That(await retention.CleanAsync(), Is.Zero, "29 days after resolution nothing is removed yet");

        // A new outage a month later holds its own booking.
        var recent = await app.DeclareAsync("velbert", Declare("2021-06-07T07:00:00+02:00", "2021-06-07T18:00:00+02:00"));
        await app.ProcessAsync();
        app.Clock.Advance(TimeSpan.FromDays(2));
        Assert.That(await retention.CleanAsync(), Is.EqualTo(2));

        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE external_ref LIKE 'OLD-%' AND name = '' AND phone IS NULL AND email IS NULL AND anonymized_at IS NOT NULL"), Is.EqualTo(2));
        Assert.That(await app.ScalarAsync<string>("SELECT name FROM bookings WHERE external_ref = 'NEW-1'"), Is.EqualTo("Bürger NEW-1"));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM dev_outbox"), Is.Zero, "the outbox's copies are older than 30 days");
        var after = await app.StatsAsync("velbert", old);
        Assert.That(after.ToString(), Is.EqualTo(before.ToString()), "the anonymous figures are unchanged");
        Assert.That(await retention.CleanAsync(), Is.Zero, "cleaning twice changes nothing");
        Assert.That(app.Logs.Any(l => l.Contains("removed personal data of 2 bookings")), Is.True, "the job logs how many records it cleaned");
        Assert.That(recent, Is.Not.EqualTo(old));
    }
}
