namespace Rebooking.Voice;

/// <summary>
/// <c>Voice:*</c>. Calls go out only when <see cref="Enabled"/> is true and <c>Twilio:VoiceFrom</c> names a number of
/// the account (an alphanumeric sender cannot call); the account and credentials are SMS's <c>Twilio:*</c>.
/// </summary>
public sealed class VoiceOptions
{
    public const string Section = "Voice";

    public bool Enabled { get; set; }

    /// <summary>When calls may start, in the tenant's local time: <c>Mon-Sat 09:00-19:00</c> (default); see <see cref="CallingHours"/>.</summary>
    public string Hours { get; set; } = CallingHours.Default;

    /// <summary>Calls per citizen and message, counting the first; busy, no answer and failure are retried.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>The least time between two attempts (default two hours).</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromHours(2);

    /// <summary>Calls started per second by this process (Twilio's default for an account is 1).</summary>
    public double RatePerSecond { get; set; } = 1;

    /// <summary>How long a claimed call stays with the worker that claimed it before another may take it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long a call may stay "calling" without Twilio's final status before it counts as failed (a lost callback).</summary>
    public TimeSpan CallTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Replaces the voice of a citizen language: key <c>de</c>, <c>en</c>, <c>tr</c>, <c>uk</c> or <c>ar</c>, value
    /// <c>language|voice</c> (e.g. <c>Voice:Voices:uk</c> = <c>uk-UA|Google.uk-UA-Wavenet-A</c>). Unset languages keep
    /// <see cref="VoiceLanguages.Defaults"/>.
    /// </summary>
    public Dictionary<string, string> Voices { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
