namespace Rebooking.Integration;

/// <summary>A change as stored: one row of the feed. Times UTC.</summary>
public class BookingChange
{
    /// <summary>The change's place in its tenant's feed; ascending in the order the changes committed.</summary>
    public long Position { get; init; }
    public string Type { get; init; } = "";
    public DateTimeOffset OccurredAt { get; init; }
    public string TenantId { get; init; } = "";
    public long BookingId { get; init; }
    public string BookingRef { get; init; } = "";
    public Guid? OutageId { get; init; }
    public string? NewBookingRef { get; init; }
    public string? NewOfficeId { get; init; }
    public string? NewServiceId { get; init; }
    public DateTimeOffset? NewStart { get; init; }
    public DateTimeOffset? NewEnd { get; init; }

    /// <summary>The opaque id clients see: the position, zero-padded, so that ids also sort as text.</summary>
    public string Id => ChangeCursor.Format(Position);
}

/// <summary>The change ids handed to clients (<c>id</c>, <c>after</c>, <c>next</c>, <c>webhook-id</c>).</summary>
public static class ChangeCursor
{
    public static string Format(long position) => position.ToString("D19", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>False for anything this service did not hand out (not 1 to 19 digits).</summary>
    public static bool TryParse(string? text, out long position)
    {
        position = 0;
        return text is { Length: > 0 and <= 19 } && text.All(char.IsAsciiDigit)
            && long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out position);
    }
}
