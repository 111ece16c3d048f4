namespace Rebooking.Notifications;

public sealed record SendOutcome(
    SendStatus Status, string? ProviderRef = null, string? ErrorCode = null, string? Error = null,
    TimeSpan? RetryAfter = null, bool Delivered = false);
