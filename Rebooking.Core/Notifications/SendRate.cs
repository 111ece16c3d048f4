using System.Threading.RateLimiting;

namespace Rebooking.Notifications;

/// <summary>
/// Paces one channel of one process to <c>perSecond</c> sends per second with a <see cref="TokenBucketRateLimiter"/>.
/// The bucket holds 100 ms worth (at least one token). It is refilled by us, not by its timer: a manual refill adds
/// tokens in proportion to the time that passed, whereas the timer adds a fixed amount per tick and loses rate
/// whenever a busy machine wakes it late (measured here: a fraction of the configured rate under load).
/// </summary>
public sealed class SendRate : IDisposable
{
    readonly TokenBucketRateLimiter? limiter;

    /// <param name="perSecond">Sends per second; 0 or less = unlimited.</param>
    public SendRate(double perSecond)
    {
        if (perSecond <= 0) return;
        limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, (int)Math.Round(perSecond / 10)),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1 / perSecond),
            QueueLimit = 0,
            AutoReplenishment = false,
        });
    }

    /// <summary>Waits until a send is allowed; returns at once when the rate is unlimited.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled while waiting.</exception>
    public async Task WaitAsync(CancellationToken ct)
    {
        if (limiter is null) return;
        while (true)
        {
            limiter.TryReplenish();
            using (var lease = limiter.AttemptAcquire(1))
                if (lease.IsAcquired) return;
            var stats = limiter.GetStatistics();
            var missing = 1 - (stats?.CurrentAvailablePermits ?? 0);
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, missing * limiter.ReplenishmentPeriod.TotalMilliseconds)), ct);
        }
    }

    public void Dispose() => limiter?.Dispose();
}
