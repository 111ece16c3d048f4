using System.Threading.RateLimiting;

namespace Rebooking.Notifications;

/// <summary>
/// Paces one channel of one process to <c>perSecond</c> sends per second with a
/// <see cref="TokenBucketRateLimiter"/>. The bucket starts full and holds 100 ms worth (at least one token),
/// refilled every 100 ms: enough to absorb timer jitter without the burst of a full second that would overrun
/// a provider's queue. Waiting sends are served oldest first.
/// </summary>
public sealed class SendRate : IDisposable
{
    readonly TokenBucketRateLimiter? limiter;

    /// <param name="perSecond">Sends per second; 0 or less = unlimited.</param>
    public SendRate(double perSecond)
    {
        if (perSecond <= 0) return;
        var tokensPerPeriod = Math.Max(1, (int)Math.Round(perSecond / 10));
        limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokensPerPeriod,
            TokensPerPeriod = tokensPerPeriod,
            ReplenishmentPeriod = TimeSpan.FromSeconds(tokensPerPeriod / perSecond),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>Waits until a send is allowed; returns at once when the rate is unlimited.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while waiting.</exception>
    public async Task WaitAsync(CancellationToken ct)
    {
        if (limiter is null) return;
        using var lease = await limiter.AcquireAsync(1, ct);
        if (!lease.IsAcquired) throw new InvalidOperationException("The send rate limiter refused a permit.");
    }

    public void Dispose() => limiter?.Dispose();
}
