using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rebooking.Operations;
using Rebooking.Tests.Support;
using Rebooking.Worker;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.EndToEnd;

/// <summary>
/// The in-process worker on Hangfire: a declaration is enqueued when it commits, and the sweep is only the safety
/// net for an enqueue that got lost (here: dropped on purpose, as a crash between commit and enqueue would).
/// </summary>
public sealed class EventDrivenWorkTests
{
    const int Citizens = 12;

    [Test]
    public async Task ADeclaration_IsProcessedAndSent_WithoutWaitingForTheSweep()
    {
        await using var app = await RebookingApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Worker:InProcess"] = "true",
            ["Worker:SweepInterval"] = "01:00:00",
        });
        await SeedAsync(app);

        var clock = Stopwatch.StartNew();
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        var stats = await app.WaitForStatsAsync("velbert", outage, AllSent, TimeSpan.FromSeconds(10));

        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)), "no hourly sweep was needed");
        Assert.That(stats.GetProperty("affected").GetInt32(), Is.EqualTo(Citizens));
        await AssertEachCitizenToldOnceAsync(app);
    }

    [Test]
    public async Task ADroppedEnqueue_IsPickedUpByTheSweep_AndNothingIsDoneTwice()
    {
        DropFirstOutageSignal? queue = null;
        await using var app = await RebookingApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Worker:InProcess"] = "true",
            ["Worker:SweepInterval"] = "00:00:02",
        }, services: services =>
        {
            services.RemoveAll<IWorkQueue>();
            services.AddSingleton<IWorkQueue>(sp => queue = new DropFirstOutageSignal(sp.GetRequiredService<HangfireWorkQueue>()));
        });
        await SeedAsync(app);

        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        var stats = await app.WaitForStatsAsync("velbert", outage, AllSent, TimeSpan.FromSeconds(20));

        Assert.That(queue!.Dropped, Is.EqualTo(outage), "the declaration's own enqueue was lost");
        Assert.That(queue.Passed, Does.Contain(outage), "the sweep signalled the outage again");
        Assert.That(stats.GetProperty("affected").GetInt32(), Is.EqualTo(Citizens));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings WHERE outage_id = @Id", new { Id = outage }), Is.EqualTo(Citizens));
        await AssertEachCitizenToldOnceAsync(app);

        // Later sweeps find nothing more to do: still one message per citizen.
        await Task.Delay(TimeSpan.FromSeconds(3));
        await AssertEachCitizenToldOnceAsync(app);
    }

    static bool AllSent(JsonElement s) => s.GetProperty("processingComplete").GetBoolean() && s.GetProperty("contact").GetProperty("pending").GetInt32() == 0;

    static async Task SeedAsync(RebookingApp app)
    {
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", Enumerable.Range(0, Citizens)
            .Select(i => Booking($"E{i:00}", "mitte", "personalausweis", SixSecondsApart("09:00", i), phone: $"0171 {4000000 + i}")).ToArray());
    }

    static async Task AssertEachCitizenToldOnceAsync(RebookingApp app)
    {
        var outbox = await app.Admin().GetFromJsonAsync<JsonElement>("/api/dev/outbox");
        var recipients = outbox.EnumerateArray().Select(m => m.GetProperty("to").GetString()).ToList();
        Assert.That(recipients, Has.Count.EqualTo(Citizens), "one message per citizen");
        Assert.That(recipients.Distinct().Count(), Is.EqualTo(Citizens), "none twice");
    }

    /// <summary>Loses the first "outage changed" signal, as a crash between the commit and the enqueue would; passes on everything else.</summary>
    sealed class DropFirstOutageSignal(IWorkQueue inner) : IWorkQueue
    {
        int dropped;
        public Guid? Dropped { get; private set; }
        public ConcurrentQueue<Guid> Passed { get; } = new();

        public void OutageChanged(Guid outageId)
        {
            if (Interlocked.Exchange(ref dropped, 1) == 0)
            {
                Dropped = outageId;
                return;
            }
            Passed.Enqueue(outageId);
            inner.OutageChanged(outageId);
        }

        public void NotificationsDue(DateTimeOffset? at = null) => inner.NotificationsDue(at);

        public void WebhooksDue(DateTimeOffset? at = null) => inner.WebhooksDue(at);
    }
}
