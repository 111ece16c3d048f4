using System.Globalization;
using System.Text.RegularExpressions;

namespace Rebooking;

/// <summary>
/// Reads and writes the contract's instants: ISO 8601 with an explicit offset (<c>Z</c> or <c>±hh:mm</c>).
/// A time without an offset is refused rather than guessed, because the same wall-clock time names two
/// instants on the night the clocks go back.
/// </summary>
public static partial class OffsetTime
{
    /// <summary>Parses <paramref name="text"/>; false when it is missing, malformed or has no offset.</summary>
    public static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrWhiteSpace(text) || !WithOffset().IsMatch(text)) return false;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return false;
        value = parsed.ToUniversalTime();
        return true;
    }

    /// <summary>Shows <paramref name="utc"/> in <paramref name="zone"/> as ISO 8601 with that zone's offset.</summary>
    public static string Format(DateTimeOffset utc, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(utc, zone).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    /// <summary>The tenant's zone from its IANA id; throws <see cref="TimeZoneNotFoundException"/> for an unknown one.</summary>
    public static TimeZoneInfo Zone(string ianaId) => TimeZoneInfo.FindSystemTimeZoneById(ianaId);

    public static bool IsKnownZone(string? ianaId) =>
        !string.IsNullOrWhiteSpace(ianaId) && TimeZoneInfo.TryFindSystemTimeZoneById(ianaId, out _);

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex WithOffset();
}
