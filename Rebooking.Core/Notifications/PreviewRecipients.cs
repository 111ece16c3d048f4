namespace Rebooking.Notifications;

/// <summary>Bookings a preview found, grouped by what their cancellation message depends on.</summary>
internal sealed class PreviewRecipients
{
    public string OfficeId { get; init; } = "";
    public string Language { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public bool SmsCapable { get; init; }
    public bool HasEmail { get; init; }
    public bool HasPhone { get; init; }
    public int Count { get; init; }
}
