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
