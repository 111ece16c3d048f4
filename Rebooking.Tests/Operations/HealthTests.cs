using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Operations;

/// <summary>/health as an operator's monitoring reads it: database, schema, scheduler, and how long messages wait.</summary>
public sealed class HealthTests
{
    [Test]
    public async Task MessagesWaitingLongerThanFiveMinutes_MakeTheServiceDegraded_NotDown()
    {
        await using var app = await RebookingApp.StartAsync(now: DateTimeOffset.Parse("2021-05-06T06:00:00+02:00"));
        var fresh = await app.Anonymous().GetFromJsonAsync<JsonElement>("/health");
        Assert.That(fresh.GetProperty("status").GetString(), Is.EqualTo("healthy"));
        Assert.That(fresh.GetProperty("scheduler").GetString(), Is.EqualTo("not-hosted"), "this Api runs without an in-process worker");
        Assert.That(fresh.GetProperty("oldestPendingNotificationSeconds").ValueKind, Is.EqualTo(JsonValueKind.Null));

        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", new[] { Booking("A-1", "mitte", "geburt", "09:00") });
        await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync(); // queues the cancellation; no worker sends it
        app.Clock.Advance(TimeSpan.FromMinutes(10));

        var answer = await app.Anonymous().GetAsync("/health");
        var late = await answer.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(late.GetProperty("status").GetString(), Is.EqualTo("degraded"));
        Assert.That(late.GetProperty("oldestPendingNotificationSeconds").GetDouble(), Is.EqualTo(600).Within(1));
        Assert.That(late.GetProperty("error").GetString(), Does.Contain("workers"));
    }
}
