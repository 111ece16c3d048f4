namespace Rebooking.Notifications;

/// <summary>Bookings a preview found, grouped by what their cancellation message depends on.</summary>
internal sealed class PreviewRecipients
{
    public string OfficeId { get; init; } = "";
    public string Language { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    /// <summary><c>bookings.phone_kind</c>: null when there is no phone.</summary>
    public string? PhoneKind { get; init; }
    public bool HasEmail { get; init; }
    public int Count { get; init; }
}
