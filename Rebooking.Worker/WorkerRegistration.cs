using Hangfire;
using Hangfire.InMemory;
using Hangfire.SqlServer;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Rebooking.Data;
using Rebooking.Notifications;
using Rebooking.Operations;
using Rebooking.Worker.Jobs;

namespace Rebooking.Worker;

public static class WorkerRegistration
{
    /// <summary>Hangfire's schema in the service's database (SQL Server); Hangfire creates and upgrades it at start-up.</summary>
    public const string SqlServerSchema = "HangFire";

    /// <summary>How long a finished job stays in Hangfire's storage (and on the dashboard) before it expires.</summary>
    public static readonly TimeSpan JobExpiration = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Registers the background jobs and a Hangfire server. The Api calls this too when it hosts the worker
    /// in-process (<c>Worker:InProcess</c>, true by default with SQLite).
    /// On SQL Server Hangfire keeps its queues in the service's own database (schema <see cref="SqlServerSchema"/>),
    /// shared by every worker process. On SQLite each process has Hangfire's in-memory storage: its own
    /// queues, its own recurring jobs; separate workers meet only in our tables, and the sweep (every second)
    /// is how they learn of work another process recorded. Either way the work is claimed in our tables.
    /// </summary>
    public static IHostApplicationBuilder AddRebookingWorker(this IHostApplicationBuilder builder)
    {
        var (sqlServer, worker) = AddJobStorage(builder, hostsServer: true);
        var services = builder.Services;

        builder.Services.AddOptions<WorkerOptions>().Bind(builder.Configuration.GetSection(WorkerOptions.Section))
            .Validate(o => o.PollInterval is null || o.PollInterval > TimeSpan.Zero, "Worker:PollInterval must be a positive duration.")
            .ValidateOnStart();

        // Registered by us, so start-up validation catches a broken constructor.
        services.AddTransient<ConvergeOutageJob>();
        services.AddTransient<DispatchNotificationsJob>();
        services.AddTransient<SweepJob>();
        services.AddTransient<RollOutagesJob>();
        services.AddTransient<RetentionJob>();
        services.AddTransient<DeliverWebhooksJob>();

        var shutdown = ShutdownTimeout(builder.Configuration);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = shutdown + TimeSpan.FromSeconds(5));
        services.AddHangfireServer((sp, server) =>
        {
            server.ServerName = sp.GetRequiredService<Outages.WorkerIdentity>().Name.Replace(':', '-');
            server.WorkerCount = worker.JobThreads;
            // Scheduled retries and the one-second sweep start on time.
            server.SchedulePollingInterval = TimeSpan.FromSeconds(1);
            // A send already started runs to its provider's answer: Hangfire must wait longer than any provider call.
            server.ShutdownTimeout = shutdown;
        });
        var cron = WorkerOptions.Cron(worker.EffectiveSweepInterval(sqlServer));
        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<RecurringJobsSetup>(sp, cron));
        return builder;
    }

    /// <summary>
    /// For an Api on SQL Server without an in-process worker: Hangfire's client on the shared storage, so a
    /// declaration is enqueued for the workers at once instead of waiting for their sweep. (On SQLite there is
    /// no shared storage to enqueue into; that Api keeps the sweep-only queue.)
    /// </summary>
    public static IHostApplicationBuilder AddRebookingJobClient(this IHostApplicationBuilder builder)
    {
        AddJobStorage(builder, hostsServer: false);
        return builder;
    }

    static (bool SqlServer, WorkerOptions Worker) AddJobStorage(IHostApplicationBuilder builder, bool hostsServer)
    {
        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var worker = builder.Configuration.GetSection(WorkerOptions.Section).Get<WorkerOptions>() ?? new WorkerOptions();
        var sqlServer = database.ProviderOrDefault == DatabaseProvider.SqlServer;
        var connectionString = builder.Configuration.GetConnectionString("Rebooking");
        var services = builder.Services;
        services.AddOptions<WorkerOptions>().Bind(builder.Configuration.GetSection(WorkerOptions.Section))
            .Validate(o => o.JobThreads is >= 1 and <= 64, "Worker:JobThreads must be between 1 and 64.")
            .Validate(o => (o.SweepInterval ?? o.PollInterval ?? TimeSpan.FromSeconds(1)) > TimeSpan.Zero, "Worker:SweepInterval must be positive.")
            .ValidateOnStart();

        services.AddHangfire(config =>
        {
            config.SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
            if (sqlServer)
                config.UseSqlServerStorage(() => new Microsoft.Data.SqlClient.SqlConnection(connectionString), new SqlServerStorageOptions
                    {
                        // Hangfire 1.8's recommended settings (its defaults for new installs are these, spelled out).
                        SchemaName = SqlServerSchema,
                        PrepareSchemaIfNecessary = true,
                        CommandBatchMaxTimeout = TimeSpan.FromMinutes(5),
                        SlidingInvisibilityTimeout = TimeSpan.FromMinutes(5),
                        QueuePollInterval = TimeSpan.Zero,
                        UseRecommendedIsolationLevel = true,
                        DisableGlobalLocks = true,
                        JobExpirationCheckInterval = TimeSpan.FromMinutes(5),
                    })
                    .WithJobExpirationTimeout(JobExpiration);
            else
                config.UseInMemoryStorage(new InMemoryStorageOptions { MaxExpirationTime = JobExpiration })
                    .WithJobExpirationTimeout(JobExpiration);
        });

        services.RemoveAll<IWorkQueue>();
        services.AddSingleton(sp => new HangfireWorkQueue(sp.GetRequiredService<IBackgroundJobClient>(), sp.GetRequiredService<TimeProvider>(),
            coalesce: !sqlServer, sp.GetRequiredService<ILogger<HangfireWorkQueue>>()));
        services.AddSingleton<IWorkQueue>(sp => sp.GetRequiredService<HangfireWorkQueue>());
        services.AddSingleton(sp => new JobServers(sp.GetRequiredService<JobStorage>(), hostsServer));
        return (sqlServer, worker);
    }

    /// <summary>The longest provider call (Twilio's and SMTP's timeouts) plus a margin.</summary>
    static TimeSpan ShutdownTimeout(IConfiguration configuration)
    {
        var twilio = configuration.GetSection(TwilioOptions.Section).Get<TwilioOptions>() ?? new TwilioOptions();
        var smtp = configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>() ?? new SmtpOptions();
        return (twilio.Timeout > smtp.Timeout ? twilio.Timeout : smtp.Timeout) + TimeSpan.FromSeconds(10);
    }
}
