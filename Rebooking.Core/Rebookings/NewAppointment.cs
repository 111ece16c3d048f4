namespace Rebooking.Rebookings;

/// <summary>The appointment a citizen now has.</summary>
public sealed class NewAppointment
{
    public string BookingRef { get; init; } = "";
    public string OfficeName { get; init; } = "";
    public string? OfficeAddress { get; init; }
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
}
