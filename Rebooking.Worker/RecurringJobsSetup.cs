using Hangfire;
using Microsoft.Extensions.Options;
using Rebooking.Outages;
using Rebooking.Tenants;
using Rebooking.Worker.Jobs;

namespace Rebooking.Worker;

/// <summary>
/// Registers the recurring jobs when the worker starts, under stable ids (several workers on SQL Server register
/// the same ones; Hangfire keeps one of each): the sweep, the voice calls (on the sweep's cadence), the roll of open-ended outages at
/// <c>Outages:RollAtLocalTime</c> in every tenant time zone in use (Europe/Berlin always), and the daily DSGVO
/// retention at 03:15 Europe/Berlin. A tenant that brings a new time zone gets its roll at the next start; until
/// then the Europe/Berlin roll covers it on the next day.
/// </summary>
internal sealed class RecurringJobsSetup(IRecurringJobManager recurring, TenantStore tenants, IOptions<OutageOptions> outages, string sweepCron,
    ILogger<RecurringJobsSetup> logger) : IHostedService
{
    public const string DefaultZone = "Europe/Berlin";

    public async Task StartAsync(CancellationToken ct)
    {
        var berlin = OffsetTime.Zone(DefaultZone);
        recurring.AddOrUpdate<SweepJob>(SweepJob.Id, j => j.RunAsync(CancellationToken.None), sweepCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc, MisfireHandling = MisfireHandlingMode.Ignorable });
        recurring.AddOrUpdate<PlaceVoiceCallsJob>(PlaceVoiceCallsJob.Id, j => j.RunAsync(CancellationToken.None), sweepCron,
            new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc, MisfireHandling = MisfireHandlingMode.Ignorable });
        recurring.AddOrUpdate<RetentionJob>(RetentionJob.Id, j => j.RunAsync(CancellationToken.None), "15 3 * * *",
            new RecurringJobOptions { TimeZone = berlin });
        var rollAt = outages.Value.RollAtLocalTime;
        var zones = (await tenants.ListAsync(ct)).Select(t => t.TimeZone).Append(DefaultZone).Distinct(StringComparer.Ordinal);
        foreach (var zone in zones)
            recurring.AddOrUpdate<RollOutagesJob>(RollOutagesJob.IdFor(zone), j => j.RunAsync(CancellationToken.None), $"{rollAt.Minute} {rollAt.Hour} * * *",
                new RecurringJobOptions { TimeZone = OffsetTime.Zone(zone) });
        logger.LogInformation("Recurring jobs registered: sweep and voice calls ({Cron}), retention, roll in {Zones}", sweepCron, string.Join(", ", zones));
        // A worker that starts (or restarts after a crash) looks for work at once, not at the sweep's next tick.
        recurring.Trigger(SweepJob.Id);
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
