using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.EndToEnd;

/// <summary>Real Rebooking.Worker processes on one SQLite file, killed with SIGKILL in the middle of an outage.</summary>
public sealed class WorkerCrashTests
{
    [Test]
    public async Task WorkerKilledMidProcessing_AndRestarted_FinishesWithNothingDuplicated()
    {
        const int bookings = 6000;
        await using var app = await RebookingApp.StartAsync();
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "bookings", Enumerable.Range(0, bookings)
            .Select(i => Booking($"K{i:0000}", (i % 3) switch { 0 => "mitte", 1 => "langenberg", _ => "neviges" }, "personalausweis",
                SixSecondsApart("07:00", i), phone: i % 10 == 0 ? null : "0171 2345678")).ToArray());
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));

        var environment = app.WorkerEnvironment(TimeSpan.FromSeconds(2));
        var directory = Directory.CreateTempSubdirectory("rebooking-worker-").FullName;
        var killed = 0;
        var first = AppProcess.Start("Rebooking.Worker", directory, environment);
        try
        {
            // Kill it as soon as it has done part of the work, but not all.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (DateTime.UtcNow < deadline)
            {
                var done = await app.ScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings");
                if (done > 0 && done < bookings) { first.Kill(); killed = done; break; }
                Assert.That(first.HasExited, Is.False, first.Output);
                await Task.Delay(10);
            }
        }
        finally
        {
            await first.DisposeAsync();
        }
        Assert.That(killed, Is.InRange(1, bookings - 1), "the worker was killed in the middle of the outage");
        var leased = await app.ScalarAsync<string?>("SELECT lease_owner FROM outages");
        Assert.That(leased, Is.Not.Null, "the dead worker still holds the lease");

        // Two fresh workers take over once the dead one's lease has run out.
        await using var second = AppProcess.Start("Rebooking.Worker", directory, environment);
        await using var third = AppProcess.Start("Rebooking.Worker", directory, environment);
        var stats = await app.WaitForStatsAsync("velbert", outage, s => s.GetProperty("processingComplete").GetBoolean(), TimeSpan.FromSeconds(90), second, third);

        Assert.That(stats.GetProperty("affected").GetInt32(), Is.EqualTo(bookings));
        Assert.That(stats.GetProperty("contact").GetProperty("unreachable").GetInt32(), Is.EqualTo(bookings / 10));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(DISTINCT booking_id) FROM affected_bookings"), Is.EqualTo(bookings));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications"), Is.EqualTo(bookings - bookings / 10));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(DISTINCT affected_id) FROM notifications"), Is.EqualTo(bookings - bookings / 10));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE status = 'booked'"), Is.Zero);
        try { Directory.Delete(directory, true); } catch (IOException) { }
    }
}
