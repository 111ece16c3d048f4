namespace Rebooking.Rebookings;

/// <summary><c>Rebooking:*</c> settings.</summary>
public sealed class RebookingOptions
{
    public const string Section = "Rebooking";

    /// <summary>The municipality-facing base of every link, e.g. https://termine.velbert.de (never a URL shortener).</summary>
    public string PublicBaseUrl { get; set; } = "http://localhost:5000";

    /// <summary>How long a link in a message stays valid.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(21);

    /// <summary>How far ahead new appointments are offered.</summary>
    public TimeSpan OfferHorizon { get; set; } = TimeSpan.FromDays(21);

    /// <summary>
    /// How long one process reuses an outage's offers for the same service. Booking always re-checks the slot
    /// in the database, so a stale offer can only lead to "this slot is gone" with fresh offers.
    /// </summary>
    public TimeSpan OfferCacheDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>At most this many offers per office.</summary>
    public int OfferCount { get; set; } = 6;

    /// <summary>Requests per minute one client may make to the citizens' pages and API; 0 = no limit.</summary>
    public int RequestsPerMinutePerClient { get; set; } = 120;
}
