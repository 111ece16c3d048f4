using Rebooking.Notifications;

namespace Rebooking.Voice;

/// <summary>Starts a phone call whose instructions Twilio fetches from <c>instructionsUrl</c>. The seam between the dialer and Twilio.</summary>
public interface IVoiceCaller
{
    /// <summary>
    /// Asks the provider to call <paramref name="to"/> (E.164). <c>Accepted</c> carries the CallSid; <c>Transient</c>:
    /// not placed, try again soon; <c>Ambiguous</c>: it may ring; <c>Permanent</c>: this number cannot be called.
    /// </summary>
    Task<SendOutcome> CallAsync(string to, string instructionsUrl, string statusCallbackUrl, CancellationToken ct);

    /// <summary>
    /// The calls the provider created to <paramref name="to"/> from our number at or after <paramref name="since"/>
    /// (less two minutes for clock skew), oldest first. Reads one page only: to reconcile an ambiguous create.
    /// </summary>
    /// <exception cref="HttpRequestException">The provider could not be asked.</exception>
    Task<IReadOnlyList<PlacedCall>> FindPlacedAsync(string to, DateTimeOffset since, CancellationToken ct);
}
