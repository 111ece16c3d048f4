namespace Rebooking.Notifications;

/// <summary>A way to reach a citizen. Implementations: Twilio SMS, SMTP email, and the development outbox.</summary>
public interface INotificationChannel
{
    /// <summary><c>sms</c> or <c>email</c>.</summary>
    string Name { get; }

    /// <summary>Messages per second this process may send; 0 = unlimited.</summary>
    double RatePerSecond { get; }

    Task<SendOutcome> SendAsync(OutgoingMessage message, string? statusCallback, CancellationToken ct);

    /// <summary>
    /// After an attempt whose outcome is unknown: asks the provider whether it took that message. Returns
    /// the accepted outcome, or null when it did not (or the channel cannot tell) and a resend is due.
    /// </summary>
    Task<SendOutcome?> ReconcileAsync(string to, byte[] bodyHash, DateTimeOffset attemptedAt, CancellationToken ct);
}
