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
