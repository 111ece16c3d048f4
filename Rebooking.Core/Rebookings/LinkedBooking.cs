namespace Rebooking.Rebookings;

/// <summary>What a citizen's link leads to.</summary>
public sealed class LinkedBooking
{
    /// <summary>When the citizen's link expires; null when read without a link (the hotline).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
    public long AffectedId { get; init; }
    /// <summary>open, rebooked, declined or reinstated.</summary>
    public string Outcome { get; init; } = "";
    public Guid OutageId { get; init; }
    public string TenantId { get; init; } = "";
    public string OfficeId { get; init; } = "";
    public string ServiceId { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset End { get; init; }
    public long? NewBookingId { get; init; }
    /// <summary>The slot the new appointment holds a unit of (null before rebooking).</summary>
    public long? NewSlotId { get; init; }
    /// <summary>When the new appointment starts, UTC (null before rebooking).</summary>
    public DateTimeOffset? NewStart { get; init; }
    /// <summary>How often the new appointment was changed: the .ics SEQUENCE, and the guard against two tabs changing it at once.</summary>
    public int Revision { get; init; }
    /// <summary>Changes with every booking, change or cancellation through the link: 0 while open. Two tabs that saw the same version cannot both act on it.</summary>
    public int Version => Outcome == "open" ? 0 : Revision + 1;
    public string BookingRef { get; init; } = "";
    /// <summary>The citizen's name: for the hotline only, never shown on the citizen's page.</summary>
    public string Name { get; init; } = "";
    /// <summary>The citizen's e-mail address (hotline only): whether a confirmation can reach them.</summary>
    public string? Email { get; init; }
    /// <summary>mobile, landline or unknown (null: no phone); see <see cref="Notifications.ChannelRule.TakesSms"/>.</summary>
    public string? PhoneKind { get; init; }
    /// <summary>True when a message can reach the citizen (<see cref="Notifications.ChannelRule.Reachable"/>): an e-mail address or a number that takes SMS.</summary>
    public bool Reachable => Notifications.ChannelRule.Reachable(PhoneKind, Email is not null);
    public string Language { get; init; } = "de";
    public string OfficeName { get; init; } = "";
    public string? OfficeAddress { get; init; }
    public string ServiceName { get; init; } = "";
    /// <summary>The outage's public message in <see cref="Language"/> when the clerk gave one, else the German one.</summary>
    public string PublicMessage { get; init; } = "";
    /// <summary>The language <see cref="PublicMessage"/> is written in.</summary>
    public string PublicMessageLanguage { get; init; } = "de";
    public DateTimeOffset? OutageEnd { get; init; }
    public string TenantName { get; init; } = "";
    public string TimeZone { get; init; } = "";
    public string? ContactPhone { get; init; }
    public string? ContactEmail { get; init; }
    public string? ContactWeb { get; init; }
    public TimeZoneInfo Zone => OffsetTime.Zone(TimeZone);
}
