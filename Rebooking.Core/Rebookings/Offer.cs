namespace Rebooking.Rebookings;

/// <summary>A slot offered to a citizen. Times UTC.</summary>
public sealed class Offer
{
    public long SlotId { get; init; }
    public string OfficeId { get; init; } = "";
    public string OfficeName { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
}
