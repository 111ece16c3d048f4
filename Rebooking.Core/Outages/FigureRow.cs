namespace Rebooking.Outages;

/// <summary>
/// How many affected bookings of one outage and office are in one contact state and one outcome: a row of the
/// figures statements (<see cref="OutageSql.OutageStats"/> and its siblings), summed by <see cref="OutageFigures"/>.
/// </summary>
internal sealed class FigureRow
{
    public string? TenantId { get; init; }
    public Guid OutageId { get; init; }
    public string OfficeId { get; init; } = "";
    public string Contact { get; init; } = "";
    public string Outcome { get; init; } = "";
    public int Tally { get; init; }
}
