namespace Rebooking.Notifications;

/// <summary>
/// <c>Twilio:*</c>. Configured when there is an account, a credential and a sender; an account without the
/// rest is refused at start (see <see cref="TwilioOptionsValidator"/>).
/// </summary>
public sealed class TwilioOptions
{
    public const string Section = "Twilio";
    public string? AccountSid { get; set; }
    public string? AuthToken { get; set; }
    public string? ApiKeySid { get; set; }
    public string? ApiKeySecret { get; set; }
    public string? From { get; set; }
    public string? MessagingServiceSid { get; set; }

    /// <summary>A number of the account (E.164) that places the voice calls (<c>Voice:Enabled</c>); an alphanumeric sender cannot call.</summary>
    public string? VoiceFrom { get; set; }

    /// <summary>
    /// Twilio's region, e.g. <c>ie1</c> for Ireland (EU data residency; that region has its own credentials).
    /// Null: Twilio's default US host.
    /// </summary>
    public string? Region { get; set; }

    /// <summary>Twilio's edge location, e.g. <c>dublin</c> with region <c>ie1</c>.</summary>
    public string? Edge { get; set; }

    /// <summary>
    /// Sends every call for <c>*.twilio.com</c> to this host instead (scheme, host and port; the path is kept).
    /// For a test double or an egress proxy; null: the host the SDK chooses from <see cref="Region"/>/<see cref="Edge"/>.
    /// </summary>
    public string? BaseUrl { get; set; }

    /// <summary>
    /// How long a call may take (the SDK takes no CancellationToken, so this is the HttpClient's timeout);
    /// a send that times out has an unknown outcome and is reconciled before any resend.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Messages per second this worker process sends; 0 = no limit. Twilio's default is 10 segments/s per sender.</summary>
    public double RatePerSecond { get; set; } = 10;

    /// <summary>Price per outbound SMS segment for the preview's estimate, e.g. "0.0832 EUR" (<see cref="SmsPrice"/>); unset = no price.</summary>
    public string? PricePerSegment { get; set; }

    /// <summary>Anything under <c>Twilio:*</c> set at all: then it must be complete.</summary>
    public bool IsMentioned =>
        new[] { AccountSid, AuthToken, ApiKeySid, ApiKeySecret, From, MessagingServiceSid }.Any(v => !string.IsNullOrWhiteSpace(v));

    public bool HasCredential =>
        !string.IsNullOrWhiteSpace(AuthToken) || (!string.IsNullOrWhiteSpace(ApiKeySid) && !string.IsNullOrWhiteSpace(ApiKeySecret));

    public bool HasSender => !string.IsNullOrWhiteSpace(From) || !string.IsNullOrWhiteSpace(MessagingServiceSid);

    public bool IsConfigured => !string.IsNullOrWhiteSpace(AccountSid) && HasCredential && HasSender;
}
