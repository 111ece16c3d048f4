namespace Rebooking.Notifications;

/// <summary><c>Notifications:*</c> settings of the dispatcher.</summary>
public sealed class NotificationOptions
{
    public const string Section = "Notifications";

    /// <summary>Messages sent at once by one worker process.</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>Messages claimed per round; soonest appointments first.</summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>How long a claimed message is ours before another worker may take it over.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Attempts on one channel before a transient failure counts as permanent.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>First retry delay; doubles per attempt, with ±20% jitter, up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BaseBackoff { get; set; } = TimeSpan.FromSeconds(10);

    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(30);
}

/// <summary>
/// Paces one channel of one process to <c>perSecond</c> sends per second. The bucket starts with one token
/// and holds at most 100 ms worth, enough to absorb timer jitter (a strict one-token bucket loses ~15% to
/// late wake-ups) without the burst of a full second that would overrun a provider's queue.
/// </summary>
public sealed class SendRate(double perSecond, TimeProvider clock)
{
    readonly SemaphoreSlim gate = new(1, 1);
    readonly double capacity = Math.Max(1, perSecond / 10);
    double tokens = 1;
    DateTimeOffset refilled = clock.GetUtcNow();

    /// <summary>Waits until a send is allowed; returns at once when the rate is 0 (unlimited).</summary>
    public async Task WaitAsync(CancellationToken ct)
    {
        if (perSecond <= 0) return;
        while (true)
        {
            TimeSpan wait;
            await gate.WaitAsync(ct);
            try
            {
                var now = clock.GetUtcNow();
                tokens = Math.Min(capacity, tokens + (now - refilled).TotalSeconds * perSecond);
                refilled = now;
                if (tokens >= 1) { tokens -= 1; return; }
                wait = TimeSpan.FromSeconds((1 - tokens) / perSecond);
            }
            finally
            {
                gate.Release();
            }
            await Task.Delay(wait, ct);
        }
    }
}
