namespace Rebooking.Outages;

/// <summary><c>Outages:*</c> settings.</summary>
public sealed class OutageOptions
{
    public const string Section = "Outages";

    /// <summary>Local time of day at which open-ended outages start covering the next day (default 16:00).</summary>
    public TimeOnly RollAtLocalTime { get; set; } = new(16, 0);

    /// <summary>
    /// Bookings cancelled per transaction while processing an outage (default 2,500). Each batch takes SQLite's one
    /// write lock for a few dozen milliseconds and then lets the dispatcher and citizens' bookings in; larger batches
    /// finish a 100,000-booking outage sooner (docs/performance.md: 1.98× the raw baseline at 1,000, 1.5× at 2,500),
    /// and stay below SQL Server's lock escalation (5,000 locks in one statement), so a regional incident's outages
    /// are still written side by side under row locks.
    /// </summary>
    public int BatchSize { get; set; } = 2500;

    /// <summary>How long a worker holds an outage before another may take it over (renewed every batch).</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// Which bookings an outage covers right now. A closed outage covers [start, end). An open-ended one covers
/// up to the end of the current local day, and from <see cref="OutageOptions.RollAtLocalTime"/> on up to
/// the end of the next day, so tomorrow's citizens hear the evening before (Gütersloh).
/// </summary>
public static class OutageCoverage
{
    public static DateTimeOffset CoveredUntil(DateTimeOffset start, DateTimeOffset? end, DateTimeOffset now, TimeZoneInfo zone, TimeOnly rollAt)
    {
        if (end is not null) return end.Value;
        var localNow = TimeZoneInfo.ConvertTime(now, zone);
        var today = DateOnly.FromDateTime(localNow.DateTime);
        var lastDay = TimeOnly.FromDateTime(localNow.DateTime) >= rollAt ? today.AddDays(1) : today;
        var startDay = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(start, zone).DateTime);
        if (startDay > lastDay) lastDay = startDay;
        return EndOfLocalDay(lastDay, zone);
    }

    /// <summary>The instant local midnight after <paramref name="day"/> begins, correct on DST days.</summary>
    public static DateTimeOffset EndOfLocalDay(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.AddDays(1).ToDateTime(TimeOnly.MinValue);
        // Midnight never falls into a DST gap in Europe; elsewhere take the first valid instant after it.
        while (zone.IsInvalidTime(midnight)) midnight = midnight.AddMinutes(30);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUniversalTime();
    }
}
