using System.Globalization;
using System.Resources;
using Rebooking.Rebookings;

namespace Rebooking.Api.Rebookings;

/// <summary>An appointment as the page shows it: "Dienstag, 11. Mai" and "09:15 Uhr".</summary>
public sealed record AppointmentLines(string Date, string Time, string Where, string? What, string? Reference);

public sealed record OfferButton(string SlotId, string Date, string Time, string Label);

public sealed record OfferGroup(string OfficeName, IReadOnlyList<OfferButton> Offers);

/// <summary>
/// Everything the citizen page renders, already in the citizen's language and the tenant's time zone.
/// <see cref="State"/>: open, rebooked, change (choosing another time for a rebooked appointment), cancel
/// (asking before a rebooked appointment is cancelled), declined, reinstated, expired or unknown.
/// </summary>
public sealed record RebookPageModel
{
    static readonly ResourceManager Texts = new("Rebooking.Api.Rebookings.PageTexts", typeof(RebookPageModel).Assembly);

    public required string Language { get; init; }
    public required string State { get; init; }
    public string Token { get; init; } = "";
    public string TenantName { get; init; } = "";
    public string? Phone { get; init; }
    public string? Web { get; init; }
    public string? Email { get; init; }
    public string? PublicMessage { get; init; }
    /// <summary>The language of <see cref="PublicMessage"/> (the German one when the clerk gave none in <see cref="Language"/>).</summary>
    public string PublicMessageLanguage { get; init; } = "de";
    /// <summary>Whether the rebooked appointment may still be changed or cancelled here.</summary>
    public bool CanChange { get; init; }
    /// <summary>Until when, as the page shows it ("Donnerstag, 6. Mai, 11:00 Uhr").</summary>
    public string? ChangeUntil { get; init; }
    public AppointmentLines? Original { get; init; }
    public AppointmentLines? New { get; init; }
    public IReadOnlyList<OfferGroup> Offers { get; init; } = [];
    public bool SlotGone { get; init; }
    /// <summary>The citizen acted on an older state of this page (another tab was quicker); the page says so.</summary>
    public bool ChangedElsewhere { get; init; }
    /// <summary>The link's version this page shows; its forms send it back, so a stale tab changes nothing.</summary>
    public int Version { get; init; }

    CultureInfo UiCulture => CultureInfo.GetCultureInfo(Language);

    /// <summary>rtl for right-to-left languages, so a resource file in Arabic or Farsi needs no other change.</summary>
    public string Direction => UiCulture.TextInfo.IsRightToLeft ? "rtl" : "ltr";

    public string T(string key) => Texts.GetString(key, UiCulture) ?? key;

    public string T(string key, params object[] args) => string.Format(CultureInfo.GetCultureInfo(T("Culture")), T(key), args);

    /// <summary>The languages the citizen's texts exist in, German first, each with its own name for itself.</summary>
    public static readonly IReadOnlyList<(string Code, string Name)> Languages =
        [("de", "Deutsch"), ("en", "English"), ("tr", "Türkçe"), ("uk", "Українська"), ("ar", "العربية")];

    public IEnumerable<(string Code, string Name)> OtherLanguages => Languages.Where(l => l.Code != Language);

    public string LanguageUrl(string code) => $"/r/{Token}?lang={code}";

    /// <summary>This page in another view of the same state (change, cancel), in the same language.</summary>
    public string ViewUrl(string? view) => view is null ? $"/r/{Token}?lang={Language}" : $"/r/{Token}?lang={Language}&view={view}";

    public string Action(string what) => $"/r/{Token}/{what}?lang={Language}";

    /// <summary>The request's language when we have texts for it, else the booking's, else German.</summary>
    public static string PickLanguage(string? requested, string? booking) =>
        IsSupported(requested) ? requested! : IsSupported(booking) ? booking! : "de";

    static bool IsSupported(string? language) => language is not null && Languages.Any(l => l.Code == language);

    public static RebookPageModel For(string language, string state, string token, LinkedBooking? booking, IReadOnlyList<Offer> offers,
        NewAppointment? appointment, bool slotGone = false, DateTimeOffset? changeUntil = null)
    {
        var model = new RebookPageModel { Language = language, State = state, Token = token };
        if (booking is null) return model;
        var zone = booking.Zone;
        return new RebookPageModel
        {
            Language = language, State = state, Token = token, SlotGone = slotGone,
            TenantName = booking.TenantName, Phone = booking.ContactPhone, Web = booking.ContactWeb, Email = booking.ContactEmail,
            PublicMessage = booking.PublicMessage, PublicMessageLanguage = booking.PublicMessageLanguage,
            CanChange = changeUntil is not null, Version = booking.Version,
            ChangeUntil = changeUntil is { } until ? model.Lines(until, zone, "", null, null) is var u ? $"{u.Date}{model.T("Comma")} {u.Time}" : null : null,
            Original = model.Lines(booking.Start, zone, Place(booking.OfficeName, booking.OfficeAddress), booking.ServiceName, booking.BookingRef),
            New = appointment is null ? null : model.Lines(appointment.Start, zone, Place(appointment.OfficeName, appointment.OfficeAddress), booking.ServiceName, appointment.BookingRef),
            Offers = offers.GroupBy(o => o.OfficeName).Select(g => new OfferGroup(g.Key, g.Select(o =>
            {
                var lines = model.Lines(o.Start, zone, o.OfficeName, null, null);
                return new OfferButton(o.SlotId.ToString(CultureInfo.InvariantCulture), lines.Date, lines.Time, model.T("BookLabel", lines.Date, lines.Time, o.OfficeName));
            }).ToList())).ToList(),
        };
    }

    AppointmentLines Lines(DateTimeOffset utc, TimeZoneInfo zone, string where, string? what, string? reference)
    {
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        var format = CultureInfo.GetCultureInfo(T("Culture"));
        return new AppointmentLines(local.ToString(T("DateFormat"), format), local.ToString(T("TimeFormat"), format), where, what, reference);
    }

    static string Place(string office, string? address) => string.IsNullOrWhiteSpace(address) ? office : $"{office}, {address}";
}
