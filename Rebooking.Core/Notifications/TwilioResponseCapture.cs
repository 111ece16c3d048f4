namespace Rebooking.Notifications;

/// <summary>
/// What the SDK drops: <c>ApiException</c> carries no response headers, so <see cref="TwilioHttpHandler"/> notes
/// <c>Retry-After</c> here. <see cref="Begin"/> opens a capture for the calls that follow in the same async flow
/// (an <see cref="AsyncLocal{T}"/>), so concurrent sends never see each other's headers.
/// </summary>
public sealed class TwilioResponseCapture
{
    static readonly AsyncLocal<TwilioResponseCapture?> current = new();

    /// <summary>The last response's <c>Retry-After</c>, as a delay from when it arrived.</summary>
    public TimeSpan? RetryAfter { get; set; }

    internal static TwilioResponseCapture? Current => current.Value;

    /// <summary>Starts capturing for the calls made from the calling async method onwards.</summary>
    public static TwilioResponseCapture Begin() => current.Value = new TwilioResponseCapture();
}
