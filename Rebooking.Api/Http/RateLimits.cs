using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Rebooking.Rebookings;

namespace Rebooking.Api.Http;

/// <summary>
/// <c>RateLimits:*</c>: requests per minute, each policy its own bucket, so a flood on one (citizens' links from a
/// town hall's shared address) leaves the others (the clerks' sign-in) usable. 0 = no limit.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";
    /// <summary>Per client address on <c>/r/*</c> and <c>/api/rebook/*</c>; defaults to <c>Rebooking:RequestsPerMinutePerClient</c>.</summary>
    public int? CitizensPerMinute { get; set; }
    /// <summary>Per client address on the public status page <c>/status/{tenant}</c>.</summary>
    public int StatusPagePerMinute { get; set; } = 120;
    /// <summary>Sign-in attempts per client address.</summary>
    public int SignInPerMinutePerAddress { get; set; } = 30;
    /// <summary>Sign-in attempts per e-mail address entered, whether or not an account has it.</summary>
    public int SignInPerMinutePerAccount { get; set; } = 10;
    /// <summary>Twilio's delivery reports per sending address.</summary>
    public int TwilioWebhookPerMinute { get; set; } = 6000;
}

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

/// <summary>
/// Sign-in attempts per account (the e-mail address entered, normalised), on top of the per-address policy: guessing
/// one clerk's password from many addresses is slowed too. Unknown addresses are counted alike, so the answer says
/// nothing about whether an account exists.
/// </summary>
public sealed class SignInThrottle(IOptions<RateLimitOptions> options) : IDisposable
{
    readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(email => options.Value.SignInPerMinutePerAccount <= 0
        ? RateLimitPartition.GetNoLimiter("none")
        : RateLimitPartition.GetFixedWindowLimiter(email,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = options.Value.SignInPerMinutePerAccount, Window = TimeSpan.FromMinutes(1) }));

    /// <summary>True when another attempt for <paramref name="email"/> may go ahead now.</summary>
    public bool TryAttempt(string email)
    {
        using var lease = limiter.AttemptAcquire(email.Trim().ToLowerInvariant());
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
