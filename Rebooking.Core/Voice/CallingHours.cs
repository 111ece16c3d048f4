using System.Globalization;
using System.Text.RegularExpressions;

namespace Rebooking.Voice;

/// <summary>
/// The local hours in which citizens may be called, e.g. <c>Mon-Sat 09:00-19:00</c>: a day range (or one day)
/// and a half-open time window <c>[from, to)</c>; <c>24:00</c> means the end of the day, so
/// <c>Mon-Sun 00:00-24:00</c> calls at any time. Several windows are separated by <c>;</c>
/// (<c>Mon-Fri 09:00-19:00; Sat 10:00-14:00</c>). Times are wall-clock times in the tenant's zone: on the night
/// the clocks change, a window starts at the first instant whose local time is at or after its start.
/// </summary>
public sealed partial class CallingHours
{
    public const string Default = "Mon-Sat 09:00-19:00";

    static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    readonly List<(bool[] Days, TimeSpan From, TimeSpan To)> windows;

    CallingHours(List<(bool[] Days, TimeSpan From, TimeSpan To)> windows) => this.windows = windows;

    /// <summary>Reads <paramref name="text"/>; false (and null) when it is not of the documented form.</summary>
    public static bool TryParse(string? text, out CallingHours? hours)
    {
        hours = null;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var windows = new List<(bool[], TimeSpan, TimeSpan)>();
        foreach (var part in text.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var match = Window().Match(part);
            if (!match.Success) return false;
            var first = Array.FindIndex(DayNames, d => d.Equals(match.Groups["from"].Value, StringComparison.OrdinalIgnoreCase));
            var last = match.Groups["to"].Success
                ? Array.FindIndex(DayNames, d => d.Equals(match.Groups["to"].Value, StringComparison.OrdinalIgnoreCase))
                : first;
            if (first < 0 || last < 0) return false;
            var days = new bool[7];
            for (var d = first; ; d = (d + 1) % 7)
            {
                days[d] = true;
                if (d == last) break;
            }
            if (!TryTime(match.Groups["start"].Value, out var start) || !TryTime(match.Groups["end"].Value, out var end) || end <= start) return false;
            windows.Add((days, start, end));
        }
        if (windows.Count == 0) return false;
        hours = new CallingHours(windows);
        return true;
    }

    /// <exception cref="FormatException">Not of the documented form (start-up validation refuses such a setting first).</exception>
    public static CallingHours Parse(string text) =>
        TryParse(text, out var hours) ? hours! : throw new FormatException($"'{text}' is not a calling-hours setting like '{Default}'.");

    static bool TryTime(string text, out TimeSpan time)
    {
        time = default;
        if (text == "24:00") { time = TimeSpan.FromDays(1); return true; }
        return TimeSpan.TryParseExact(text, @"hh\:mm", CultureInfo.InvariantCulture, out time) && time < TimeSpan.FromDays(1);
    }

    /// <summary>Whether a call may start at <paramref name="instant"/> in <paramref name="zone"/>.</summary>
    public bool IsOpen(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var time = local.TimeOfDay;
        return windows.Any(w => w.Days[(int)local.DayOfWeek] && time >= w.From && time < w.To);
    }

    /// <summary>
    /// <paramref name="instant"/> itself when calls may start then, otherwise the next instant they may (UTC). Walks
    /// the local days ahead, so a declaration at 21:00 on a Saturday waits for Monday 09:00 — also across the
    /// nights the clocks change, where a local time that does not exist is skipped forward.
    /// </summary>
    public DateTimeOffset NextOpening(DateTimeOffset instant, TimeZoneInfo zone)
    {
        if (IsOpen(instant, zone)) return instant.ToUniversalTime();
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        DateTimeOffset? best = null;
        for (var day = 0; day <= 8 && best is null; day++)
        {
            var date = local.Date.AddDays(day);
            foreach (var window in windows.Where(w => w.Days[(int)date.DayOfWeek]).OrderBy(w => w.From))
            {
                var start = FirstInstantAtOrAfter(date + window.From, zone);
                if (start > instant && (best is null || start < best) && IsOpen(start, zone)) best = start;
            }
        }
        return best ?? throw new InvalidOperationException("Calling hours without any open time in a week.");
    }

    /// <summary>The UTC instant of local <paramref name="wallClock"/>, or of the first valid local time after it when the clocks skip it.</summary>
    static DateTimeOffset FirstInstantAtOrAfter(DateTime wallClock, TimeZoneInfo zone)
    {
        var local = DateTime.SpecifyKind(wallClock, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(1);
        // An ambiguous time (autumn) takes its first occurrence, the earlier instant.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    [GeneratedRegex(@"^(?<from>[A-Za-z]{3})(-(?<to>[A-Za-z]{3}))?\s+(?<start>\d\d:\d\d)-(?<end>\d\d:\d\d)$")]
    private static partial Regex Window();
}
