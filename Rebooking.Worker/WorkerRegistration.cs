using Quartz;
using Rebooking.Data;
using Rebooking.Worker.Jobs;

namespace Rebooking.Worker;

/// <summary><c>Worker:*</c> settings.</summary>
public sealed class WorkerOptions
{
    public const string Section = "Worker";

    /// <summary>How often the polling jobs look for work (default 1 s).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

public static class WorkerRegistration
{
    /// <summary>
    /// Registers the background jobs and their scheduler. The Api calls this too when it hosts the worker
    /// in-process (<c>Worker:InProcess</c>, true by default with SQLite).
    /// On SQL Server Quartz keeps a persistent, clustered store in the same database (schema provisioned by
    /// Quartz), so several worker processes share the triggers. On SQLite, where Quartz refuses clustering,
    /// each process runs its own in-memory scheduler; the work itself is claimed in our tables either way.
    /// </summary>
    public static IHostApplicationBuilder AddRebookingWorker(this IHostApplicationBuilder builder)
    {
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var worker = builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
        var connectionString = builder.Configuration.GetConnectionString("Rebooking");

        builder.Services.AddOptions<WorkerOptions>().Bind(builder.Configuration.GetSection(WorkerOptions.Section))
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Worker:PollInterval must be a positive duration.")
            .ValidateOnStart();

        // Registered by us, so start-up validation catches a broken constructor.
        builder.Services.AddTransient<SyncOutagesJob>();
        builder.Services.AddTransient<RollOutagesJob>();
        builder.Services.AddTransient<DispatchNotificationsJob>();
        builder.Services.AddTransient<RetentionJob>();
        builder.Services.AddTransient<PlaceVoiceCallsJob>();

        builder.Services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = "Rebooking";
                s.GenerateInstanceId = true;
                s.IdleWaitTime = TimeSpan.FromSeconds(1);
            });
            if (database.ProviderOrDefault == DatabaseProvider.SqlServer)
                q.UsePersistentStore(store =>
                {
                    // Our SqlClient (7.1.1), not whichever Quartz would resolve by name.
                    store.UseSqlServer(Microsoft.Data.SqlClient.SqlClientFactory.Instance, connectionString!);
                    store.UseSerializer<Quartz.Impl.SystemTextJsonObjectSerializer>();
                    store.UseClustering();
                    store.ProvisionSchema();
                });
            else
                q.UseInMemoryStore();

            q.AddJob<SyncOutagesJob>(j => j.WithIdentity(SyncOutagesJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(SyncOutagesJob.Key).WithIdentity("sync-outages-poll", "rebooking")
                .WithSimpleSchedule(s => s.WithInterval(worker.PollInterval).RepeatForever()));
            q.AddJob<DispatchNotificationsJob>(j => j.WithIdentity(DispatchNotificationsJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(DispatchNotificationsJob.Key).WithIdentity("dispatch-notifications-poll", "rebooking")
                .WithSimpleSchedule(s => s.WithInterval(worker.PollInterval).RepeatForever()));
            q.AddJob<PlaceVoiceCallsJob>(j => j.WithIdentity(PlaceVoiceCallsJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(PlaceVoiceCallsJob.Key).WithIdentity("place-voice-calls-poll", "rebooking")
                .WithSimpleSchedule(s => s.WithInterval(worker.PollInterval).RepeatForever()));
            q.AddJob<RollOutagesJob>(j => j.WithIdentity(RollOutagesJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(RollOutagesJob.Key).WithIdentity("roll-outages-minutely", "rebooking")
                .WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMinutes(1)).RepeatForever()));
            q.AddJob<RetentionJob>(j => j.WithIdentity(RetentionJob.Key).StoreDurably());
            q.AddTrigger(t => t.ForJob(RetentionJob.Key).WithIdentity("data-retention-daily", "rebooking")
                .WithCronSchedule("0 15 3 * * ?", c => c.InTimeZone(OffsetTime.Zone("Europe/Berlin"))));
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return builder;
    }
}
