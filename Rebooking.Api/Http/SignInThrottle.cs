using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Rebooking.Api.Http;

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
