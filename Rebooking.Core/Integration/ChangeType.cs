namespace Rebooking.Integration;

/// <summary>The <c>type</c> of a change, as the feed and the webhooks name it.</summary>
public static class ChangeType
{
    public const string Cancelled = "booking.cancelled";
    public const string Reinstated = "booking.reinstated";
    public const string Rebooked = "booking.rebooked";
    public const string Declined = "booking.declined";
}
