using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Rebooking.Rebookings;

namespace Rebooking.Api.Http;

/// <summary>The rate-limit policies, partitioned by the client address (the real one behind a configured proxy: <see cref="ForwardedHeadersSetup"/>).</summary>
public static class RateLimits
{
    public const string Citizens = "citizens";
    public const string StatusPage = "status-page";
    public const string SignIn = "sign-in";
    public const string TwilioWebhook = "twilio-webhook";

    public static IHostApplicationBuilder AddRateLimits(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.CitizensPerMinute is null or >= 0 && o.StatusPagePerMinute >= 0 && o.SignInPerMinutePerAddress >= 0
                && o.SignInPerMinutePerAccount >= 0 && o.TwilioWebhookPerMinute >= 0, "RateLimits:* must be 0 (no limit) or more requests per minute.")
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(RateLimitOptions.Section).Get<RateLimitOptions>() ?? new RateLimitOptions();
        var citizens = options.CitizensPerMinute
            ?? builder.Configuration.GetValue<int?>("Rebooking:RequestsPerMinutePerClient") ?? new RebookingOptions().RequestsPerMinutePerClient;
        builder.Services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Citizens, http => PerAddress(http, Citizens, citizens));
            o.AddPolicy(StatusPage, http => PerAddress(http, StatusPage, options.StatusPagePerMinute));
            o.AddPolicy(SignIn, http => PerAddress(http, SignIn, options.SignInPerMinutePerAddress));
            o.AddPolicy(TwilioWebhook, http => PerAddress(http, TwilioWebhook, options.TwilioWebhookPerMinute));
        });
        builder.Services.AddSingleton<SignInThrottle>();
        return builder;
    }

    static RateLimitPartition<string> PerAddress(HttpContext http, string policy, int perMinute) => perMinute <= 0
        ? RateLimitPartition.GetNoLimiter(policy)
        : RateLimitPartition.GetFixedWindowLimiter($"{policy}:{http.Connection.RemoteIpAddress?.ToString() ?? "unknown"}",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1) });
}
