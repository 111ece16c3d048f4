using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Rebooking.Access;
using Rebooking.Data;
using Rebooking.Notifications;
using Rebooking.Outages;
using Rebooking.Rebookings;

namespace Rebooking.Operations;

/// <summary>
/// Every options class of Core, bound and validated when the process starts (<c>ValidateOnStart</c>). Each rule's
/// message names the configuration key, so a mistake stops the process with one line an operator can act on
/// (<see cref="Passes"/>), instead of a worker that loops forever or never sends.
/// </summary>
public static class StartupChecks
{
    public static IHostApplicationBuilder AddValidatedOptions(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;

        services.AddOptions<DatabaseOptions>().Bind(config.GetSection(DatabaseOptions.Section))
            .Validate(o => DatabaseOptions.TryParseProvider(o.Provider, out _), "Database:Provider must be 'sqlite' or 'sqlserver' (any case).")
            .Validate(o => !DatabaseOptions.TryParseProvider(o.Provider, out var p) || p != DatabaseProvider.SqlServer
                           || !string.IsNullOrWhiteSpace(config.GetConnectionString("Rebooking")),
                "ConnectionStrings:Rebooking is required with Database:Provider=sqlserver.")
            .ValidateOnStart();

        services.AddOptions<OutageOptions>().Bind(config.GetSection(OutageOptions.Section))
            .Validate(o => o.BatchSize >= 1, "Outages:BatchSize must be at least 1.")
            .Validate(o => o.Lease > TimeSpan.Zero, "Outages:Lease must be a positive duration.")
            .ValidateOnStart();

        services.AddOptions<NotificationOptions>().Bind(config.GetSection(NotificationOptions.Section))
            .Validate(o => o.Concurrency >= 1, "Notifications:Concurrency must be at least 1.")
            .Validate(o => o.BatchSize >= 1, "Notifications:BatchSize must be at least 1.")
            .Validate(o => o.Lease > TimeSpan.Zero, "Notifications:Lease must be a positive duration.")
            .Validate(o => o.MaxAttempts >= 1, "Notifications:MaxAttempts must be at least 1.")
            .Validate(o => o.BaseBackoff > TimeSpan.Zero, "Notifications:BaseBackoff must be a positive duration.")
            .Validate(o => o.MaxBackoff >= o.BaseBackoff, "Notifications:MaxBackoff must not be shorter than Notifications:BaseBackoff.")
            .ValidateOnStart();

        services.AddOptions<RebookingOptions>().Bind(config.GetSection(RebookingOptions.Section))
            .Validate(o => IsAbsoluteHttpUrl(o.PublicBaseUrl), "Rebooking:PublicBaseUrl must be an absolute http(s) URL, e.g. https://termine.velbert.de.")
            .Validate(o => o.LinkLifetime > TimeSpan.Zero, "Rebooking:LinkLifetime must be a positive duration.")
            .Validate(o => o.OfferHorizon > TimeSpan.Zero, "Rebooking:OfferHorizon must be a positive duration.")
            .Validate(o => o.OfferCacheDuration >= TimeSpan.Zero, "Rebooking:OfferCacheDuration must not be negative.")
            .Validate(o => o.OfferCount >= 1, "Rebooking:OfferCount must be at least 1.")
            .Validate(o => o.ChangeCutoff >= TimeSpan.Zero, "Rebooking:ChangeCutoff must not be negative.")
            .Validate(o => o.RequestsPerMinutePerClient >= 0, "Rebooking:RequestsPerMinutePerClient must not be negative (0 = no limit).")
            .ValidateOnStart();

        services.AddOptions<TwilioOptions>().Bind(config.GetSection(TwilioOptions.Section))
            .Validate(o => !o.IsMentioned || !string.IsNullOrWhiteSpace(o.AccountSid), "Twilio:AccountSid is required once any Twilio:* is set.")
            .Validate(o => !o.IsMentioned || o.HasCredential, "Twilio:AuthToken (or Twilio:ApiKeySid with Twilio:ApiKeySecret) is required once any Twilio:* is set.")
            .Validate(o => !o.IsMentioned || o.HasSender, "Twilio:From (or Twilio:MessagingServiceSid) is required once any Twilio:* is set.")
            .Validate(o => o.BaseUrl is null || IsAbsoluteHttpUrl(o.BaseUrl), "Twilio:BaseUrl must be an absolute http(s) URL.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Twilio:Timeout must be a positive duration.")
            .Validate(o => o.RatePerSecond >= 0, "Twilio:RatePerSecond must not be negative (0 = no limit).")
            .ValidateOnStart();

        services.AddOptions<SmtpOptions>().Bind(config.GetSection(SmtpOptions.Section))
            .Validate(o => string.IsNullOrWhiteSpace(o.Host) == string.IsNullOrWhiteSpace(o.From), "Smtp:Host and Smtp:From are set together or not at all.")
            .Validate(o => o.Port is >= 1 and <= 65535, "Smtp:Port must be between 1 and 65535.")
            .Validate(o => o.Timeout > TimeSpan.Zero, "Smtp:Timeout must be a positive duration.")
            .Validate(o => o.RatePerSecond >= 0, "Smtp:RatePerSecond must not be negative (0 = no limit).")
            .Validate(o => o.PoolSize >= 1, "Smtp:PoolSize must be at least 1.")
            .Validate(o => o.ImplicitTls != true || o.StartTls, "Smtp:ImplicitTls=true needs Smtp:StartTls=true: it is a way to encrypt, not a way to skip it.")
            .ValidateOnStart();

        services.AddOptions<RetentionOptions>().Bind(config.GetSection(RetentionOptions.Section))
            .Validate(o => o.Days >= 0, "Retention:Days must not be negative.")
            .ValidateOnStart();

        services.AddOptions<StaffOptions>().Bind(config.GetSection(StaffOptions.Section))
            .Validate(o => o.MaxFailedAttempts >= 1, "Staff:MaxFailedAttempts must be at least 1.")
            .Validate(o => o.LockoutDuration > TimeSpan.Zero, "Staff:LockoutDuration must be a positive duration.")
            .Validate(o => o.SessionLifetime > TimeSpan.Zero, "Staff:SessionLifetime must be a positive duration.")
            .ValidateOnStart();

        services.AddOptions<MetricsOptions>().Bind(config.GetSection(MetricsOptions.Section))
            .Validate(o => o.Port is null or >= 1 and <= 65535, "Metrics:Port must be between 1 and 65535.")
            .ValidateOnStart();
        return builder;
    }

    /// <summary>
    /// Runs the start-up validation now (before migrations or anything else) and writes one line per mistake to
    /// <paramref name="error"/>. Returns false when the process must not start; the caller exits with code 1.
    /// </summary>
    public static bool Passes(IServiceProvider services, TextWriter error)
    {
        try
        {
            services.GetService<IStartupValidator>()?.Validate();
            return true;
        }
        catch (Exception e) when (e is OptionsValidationException or AggregateException or InvalidOperationException)
        {
            foreach (var line in Failures(e)) error.WriteLine("Configuration error: " + line);
            return false;
        }
    }

    static IEnumerable<string> Failures(Exception e) => e switch
    {
        AggregateException a => a.InnerExceptions.SelectMany(Failures),
        OptionsValidationException o => o.Failures,
        // A value that does not convert ("Failed to convert configuration value '…' at 'Outages:BatchSize' …") names its key.
        _ => [e.Message.ReplaceLineEndings(" ")],
    };

    public static bool IsAbsoluteHttpUrl(string? value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0;
}
