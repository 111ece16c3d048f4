using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Access;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Notifications;

public sealed class OutboxAndRecoveryTests
{
    [Test]
    public async Task WithoutProviders_MessagesLandInTheDevelopmentOutbox_ForAdminsOnly()
    {
        await using var app = await RebookingApp.StartAsync();
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("A", "mitte", "geburt", "09:00", phone: "0171 1000001"),
            Booking("B", "mitte", "geburt", "10:00", phone: null, email: "b@example.org"),
        });
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();

        var outbox = await app.Admin().GetFromJsonAsync<JsonElement>("/api/dev/outbox");
        var messages = outbox.EnumerateArray().ToDictionary(m => m.GetProperty("channel").GetString()!);
        Assert.That(messages.Keys, Is.EquivalentTo(new[] { "sms", "email" }));
        Assert.That(messages["sms"].GetProperty("to").GetString(), Is.EqualTo("+491711000001"));
        Assert.That(messages["sms"].GetProperty("body").GetString(), Does.Contain("/r/"));
        Assert.That(messages["email"].GetProperty("subject").GetString(), Does.StartWith("Ihr Termin am 06.05.2021"));
        Assert.That(messages["email"].GetProperty("createdAt").GetString(), Does.EndWith("+00:00"));
        var stats = await app.StatsAsync("velbert", outage);
        Assert.That(stats.GetProperty("contact").GetProperty("notified").GetInt32(), Is.EqualTo(2));

        var clerk = await app.ClientFor(Roles.Clerk, "velbert");
        Assert.That((await clerk.GetAsync("/api/dev/outbox")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task WorkerKilledMidSend_NextWorkerAsksTwilioAndDoesNotSendAgain()
    {
        await using var twilio = await FakeTwilio.StartAsync();
        await using var app = await RebookingApp.StartAsync(settings: twilio.Settings());
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[] { Booking("A", "mitte", "geburt", "09:00", phone: "0171 1000001") });
        await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();

        // What a killed worker leaves behind: the message handed to Twilio, our row still 'sending' with
        // the attempt recorded, and a lease that has run out.
        const string body = "Stadt Velbert: Ihr Termin ... (sent by the worker that died)";
        twilio.Messages["SMdead"] = ("+491711000001", body, DateTimeOffset.UtcNow);
        await using (var connection = await app.Db.OpenAsync())
            await connection.ExecuteAsync("""
                UPDATE notifications SET status = 'sending', in_flight = 1, body_hash = @Hash, attempted_at = @At, channel = 'sms',
                       attempts = 1, lease_owner = 'dead-worker', lease_until = @Expired
                """, new { Hash = SHA256.HashData(Encoding.UTF8.GetBytes(body)), At = app.Clock.GetUtcNow(), Expired = app.Clock.GetUtcNow().AddSeconds(-1) });

        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();

        Assert.That(twilio.Requests, Is.Empty, "nothing was sent again");
        Assert.That(twilio.ListCalls, Is.EqualTo(1));
        Assert.That(await app.ScalarAsync<string>("SELECT status || ' ' || provider_ref FROM notifications"), Is.EqualTo("accepted SMdead"));
        Assert.That(await app.ScalarAsync<string>("SELECT contact FROM affected_bookings"), Is.EqualTo("notified"));
    }
}
