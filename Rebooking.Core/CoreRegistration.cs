using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Rebooking.Access;
using Rebooking.Data;
using Rebooking.Integration;
using Rebooking.Notifications;
using Rebooking.Operations;
using Rebooking.Rebookings;
using Rebooking.Outages;
using Rebooking.Tenants;
using Rebooking.Tenants.Import;
using Rebooking.Voice;

namespace Rebooking;

public static class CoreRegistration
{
    /// <summary>
    /// Registers storage, the migrator and the domain stores shared by the Api and the Worker. Reads
    /// <c>Database:Provider</c> and <c>ConnectionStrings:Rebooking</c>; a relative SQLite path is taken
    /// from the content root.
    /// </summary>
    public static IHostApplicationBuilder AddRebookingCore(this IHostApplicationBuilder builder)
    {
        ValidationSetup.Configure();
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        // A bad provider or a missing SQL Server connection string is reported by StartupChecks before Db is used.
        var provider = options.ProviderOrDefault;
        var connectionString = builder.Configuration.GetConnectionString("Rebooking") ?? DatabaseOptions.DefaultSqliteConnectionString;
        var services = builder.Services;
        builder.AddValidatedOptions();
        // Built on first use, after the start-up checks: a refused configuration creates no database folder.
        services.AddSingleton(_ => new Db(provider, connectionString, builder.Environment.ContentRootPath));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Migrator>();
        services.AddSingleton<Audit>();
        services.AddSingleton<TenantStore>();
        services.AddSingleton<SlotImport>();
        services.AddSingleton<BookingImport>();
        services.AddSingleton<ApiKeyStore>();
        services.AddSingleton<StaffAccounts>();
        services.AddSingleton<IValidator<AddStaffRequest>, AddStaffRequestValidator>();
        services.AddSingleton<DemoTenant>();
        services.TryAddSingleton(WorkerIdentity.ForThisProcess());
        // Replaced by the worker's Hangfire queue where one is reachable; otherwise the workers' sweep finds the work.
        services.TryAddSingleton<IWorkQueue, SweepOnlyWorkQueue>();
        services.AddSingleton<WorkSweep>();
        services.AddSingleton<DatabaseHealth>();
        services.AddSingleton<OutageStore>();
        services.AddSingleton<OutageReports>();
        services.AddSingleton<OutageProcessor>();
        services.AddSingleton<OutageRoller>();
        services.AddSingleton<DataRetention>();
        AddNotifications(builder);
        builder.AddIntegration();
        builder.AddVoice();
        builder.AddRebookingTelemetry();

        services.AddSingleton<IValidator<PutTenantRequest>, PutTenantRequestValidator>();
        services.AddSingleton<IValidator<CreateApiKeyRequest>, CreateApiKeyRequestValidator>();
        services.AddSingleton<IValidator<DeclareOutageRequest>, DeclareOutageRequestValidator>();
        services.AddSingleton<IValidator<DeclareRegionalOutageRequest>, DeclareRegionalOutageRequestValidator>();
        services.AddSingleton<IValidator<PatchOutageRequest>, PatchOutageRequestValidator>();
        services.AddSingleton<IValidator<ResolveOutageRequest>, ResolveOutageRequestValidator>();
        return builder;
    }

    /// <summary>
    /// Twilio and SMTP when configured; with neither, both channels write to the development outbox. With only
    /// one configured, citizens the other would reach count as unreachable — nothing is silently parked.
    /// </summary>
    static void AddNotifications(IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var twilio = builder.Configuration.GetSection(TwilioOptions.Section).Get<TwilioOptions>() ?? new TwilioOptions();
        var smtp = builder.Configuration.GetSection(SmtpOptions.Section).Get<SmtpOptions>() ?? new SmtpOptions();
        // No resilience handler on this client, ever: a retried POST to Twilio is a second SMS.
        services.AddHttpClient(nameof(TwilioSmsChannel), http => http.Timeout = twilio.Timeout > TimeSpan.Zero ? twilio.Timeout : TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 256 })
            .AddHttpMessageHandler(sp => new TwilioHttpHandler(twilio, sp.GetRequiredService<TimeProvider>()));
        // A singleton of its own, created by the container, so the container disposes it (QUIT on the pooled connections) when the host stops.
        if (smtp.IsConfigured) services.AddSingleton(sp => new SmtpEmailChannel(smtp, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp =>
        {
            if (!twilio.IsConfigured && !smtp.IsConfigured)
            {
                var db = sp.GetRequiredService<Db>();
                var clock = sp.GetRequiredService<TimeProvider>();
                return new NotificationChannels(new OutboxChannel("sms", db, clock), new OutboxChannel("email", db, clock));
            }
            var http = sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TwilioSmsChannel));
            return new NotificationChannels(
                twilio.IsConfigured ? new TwilioSmsChannel(TwilioSmsChannel.CreateClient(http, twilio), twilio) : null,
                smtp.IsConfigured ? sp.GetRequiredService<SmtpEmailChannel>() : null);
        });
        SmsPrice.Parse(twilio.PricePerSegment); // a setting that cannot be read stops the start, not the first preview
        services.AddSingleton(twilio);
        services.AddSingleton<MessageEstimator>();
        services.AddSingleton<NotificationDispatcher>();
        services.AddSingleton<DeliveryCallbacks>();
        services.AddSingleton<DevOutbox>();
        services.AddSingleton<CitizenRebooking>();
        services.AddSingleton<IValidator<BookSlotRequest>, BookSlotRequestValidator>();
    }
}

/// <summary>FluentValidation settings that make field names match the contract's camelCase JSON paths.</summary>
public static class ValidationSetup
{
    static int configured;

    public static void Configure()
    {
        if (Interlocked.Exchange(ref configured, 1) == 1) return;
        ValidatorOptions.Global.PropertyNameResolver = (_, member, _) => member is null ? null : CamelCase(member.Name);
        ValidatorOptions.Global.DisplayNameResolver = (_, member, _) => member is null ? null : CamelCase(member.Name);
    }

    static string CamelCase(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
