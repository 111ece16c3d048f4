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
/// <see cref="State"/>: open, rebooked, declined, reinstated, expired or unknown.
/// </summary>
public sealed class RebookPageModel
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
    public AppointmentLines? Original { get; init; }
    public AppointmentLines? New { get; init; }
    public IReadOnlyList<OfferGroup> Offers { get; init; } = [];
    public bool SlotGone { get; init; }

    CultureInfo UiCulture => CultureInfo.GetCultureInfo(Language);

    /// <summary>rtl for right-to-left languages, so a resource file in Arabic or Farsi needs no other change.</summary>
    public string Direction => UiCulture.TextInfo.IsRightToLeft ? "rtl" : "ltr";

    public string T(string key) => Texts.GetString(key, UiCulture) ?? key;

    public string T(string key, params object[] args) => string.Format(CultureInfo.GetCultureInfo(T("Culture")), T(key), args);

    public string OtherLanguageUrl => $"/r/{Token}?lang={T("OtherLanguageCode")}";

    public string Action(string what) => $"/r/{Token}/{what}?lang={Language}";

    /// <summary>de unless the request or the booking asks for a language we have texts for.</summary>
    public static string PickLanguage(string? requested, string? booking) =>
        requested is "de" or "en" ? requested : booking is "en" ? "en" : "de";

    public static RebookPageModel For(string language, string state, string token, LinkedBooking? booking, IReadOnlyList<Offer> offers,
        NewAppointment? appointment, bool slotGone = false)
    {
        var model = new RebookPageModel { Language = language, State = state, Token = token };
        if (booking is null) return model;
        var zone = booking.Zone;
        return new RebookPageModel
        {
            Language = language, State = state, Token = token, SlotGone = slotGone,
            TenantName = booking.TenantName, Phone = booking.ContactPhone, Web = booking.ContactWeb, Email = booking.ContactEmail,
            PublicMessage = booking.PublicMessage,
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
