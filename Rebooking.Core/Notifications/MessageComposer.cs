using System.Globalization;
using System.Net;
using System.Resources;
using System.Text;

namespace Rebooking.Notifications;

public static class NotificationKind
{
    public const string Cancellation = "cancellation";
    public const string Reinstatement = "reinstatement";
    public const string Confirmation = "confirmation";
}

/// <summary>
/// Everything a message to one citizen may say. Times are UTC; they are shown in the tenant's zone.
/// <see cref="Sequence"/> counts the changes of a rebooked appointment: the .ics SEQUENCE, so a calendar
/// moves the entry (same UID) instead of adding a second one.
/// </summary>
public sealed record MessageFacts(
    string Kind, string Language, string TenantName, TimeZoneInfo Zone, string? TenantPhone,
    string OfficeName, string? OfficeAddress, string ServiceName, DateTimeOffset Start, DateTimeOffset End,
    string? PublicMessage, string CitizenName, string Link, string BookingRef, int Sequence = 0);

/// <summary>
/// Writes the texts citizens get, in the booking's language: German, English, Turkish, Ukrainian or Arabic
/// (<see cref="Languages"/>; any other gets German, the office's language). Texts come from
/// <c>Texts.resx</c> (German) and <c>Texts.{language}.resx</c>. An SMS carries no name and no service and
/// stays within <see cref="MaxSmsSegments"/> segments (see <see cref="Sms"/>); an email greets by name and
/// has an HTML alternative, and a confirmation carries an .ics file.
/// </summary>
public static class MessageComposer
{
    static readonly ResourceManager Texts = new("Rebooking.Notifications.Texts", typeof(MessageComposer).Assembly);

    /// <summary>The languages citizens' texts exist in; German first, the fallback for every other.</summary>
    public static readonly IReadOnlyList<string> Languages = ["de", "en", "tr", "uk", "ar"];

    /// <summary>The most segments one SMS may take, whatever the language and however long the public message.</summary>
    public const int MaxSmsSegments = 3;

    public static CultureInfo CultureFor(string? language) => CultureInfo.GetCultureInfo(language is not null && Languages.Contains(language) ? language : "de");

    static string T(string key, CultureInfo culture) => Texts.GetString(key, culture) ?? throw new MissingManifestResourceException(key);

    /// <summary>
    /// The SMS, within <see cref="MaxSmsSegments"/> segments. Turkish letters, Cyrillic and Arabic make an
    /// SMS UCS-2 (67 characters a segment), so when the full text does not fit, the fixed text is shortened
    /// step by step: without the phone line (the page has the contact), then a shorter template; only then
    /// is the public message cut at a word and marked with "..." (the page shows it whole). The link, the
    /// date and the time are never cut.
    /// </summary>
    public static OutgoingMessage Sms(string to, MessageFacts facts)
    {
        var culture = CultureFor(facts.Language);
        var format = CultureInfo.GetCultureInfo(T("Culture", culture));
        var local = TimeZoneInfo.ConvertTime(facts.Start, facts.Zone);
        var date = local.ToString(T("DateShort", culture), format);
        var time = local.ToString(T("Time", culture), format);
        var questions = string.IsNullOrWhiteSpace(facts.TenantPhone) ? "" : string.Format(format, T("SmsQuestions", culture), facts.TenantPhone);
        var template = facts.Kind switch
        {
            NotificationKind.Cancellation => "SmsCancellation",
            NotificationKind.Reinstatement => "SmsReinstatement",
            _ => "SmsConfirmation",
        };
        // The cancellation has the public message at {4} and the link at {5}; the others the link at {4}.
        string Compose(string key, string? message) => ToGsmFriendly(facts.Kind == NotificationKind.Cancellation
            ? string.Format(format, T(key, culture), facts.TenantName, date, time, facts.OfficeName, message, facts.Link)
            : string.Format(format, T(key, culture), facts.TenantName, date, time, facts.OfficeName, facts.Link));
        var message = facts.PublicMessage?.Trim() ?? "";
        foreach (var text in new[] { Compose(template, message) + ToGsmFriendly(questions), Compose(template, message), Compose(template + "Short", message) })
            if (Fits(text)) return new OutgoingMessage(to, text);
        return new OutgoingMessage(to, facts.Kind == NotificationKind.Cancellation
            ? Shortened(message, m => Compose(template + "Short", m))
            : Compose(template + "Short", message));
    }

    static bool Fits(string text) => SmsSegments.Measure(text).Segments <= MaxSmsSegments;

    /// <summary>The longest cut of <paramref name="message"/> up to a word, plus "...", whose SMS fits; without the message if none does.</summary>
    static string Shortened(string message, Func<string, string> compose)
    {
        for (var cut = message.LastIndexOf(' '); cut > 0; cut = message.LastIndexOf(' ', cut - 1))
        {
            var text = compose(message[..cut].TrimEnd(' ', ',', ';', ':', '-', '.', '،') + "...");
            if (Fits(text)) return text;
        }
        return compose("").Replace("  ", " ");
    }

    /// <param name="composedAt">When the message is made (the .ics DTSTAMP), from the caller's TimeProvider.</param>
    public static OutgoingMessage Email(string to, MessageFacts facts, DateTimeOffset composedAt)
    {
        var culture = CultureFor(facts.Language);
        var format = CultureInfo.GetCultureInfo(T("Culture", culture));
        var local = TimeZoneInfo.ConvertTime(facts.Start, facts.Zone);
        var dateLong = local.ToString(T("DateLong", culture), format);
        var dateShort = local.ToString("d", format);
        var time = local.ToString(T("Time", culture), format);
        var place = string.IsNullOrWhiteSpace(facts.OfficeAddress) ? facts.OfficeName : $"{facts.OfficeName}, {facts.OfficeAddress}";
        var paragraphs = new List<string> { string.Format(format, T("EmailGreeting", culture), facts.CitizenName) };
        string subject;
        CalendarFile? calendar = null;
        switch (facts.Kind)
        {
            case NotificationKind.Cancellation:
                subject = string.Format(format, T("EmailCancellationSubject", culture), dateShort, facts.TenantName);
                paragraphs.Add(string.Format(format, T("EmailCancellationText", culture), dateLong, time, facts.ServiceName, facts.OfficeName));
                if (!string.IsNullOrWhiteSpace(facts.PublicMessage)) paragraphs.Add(facts.PublicMessage.Trim());
                paragraphs.Add(T("EmailCancellationAction", culture) + "\n" + facts.Link);
                paragraphs.Add(T("EmailDeclineHint", culture));
                break;
            case NotificationKind.Reinstatement:
                subject = string.Format(format, T("EmailReinstatementSubject", culture), dateShort, facts.TenantName);
                paragraphs.Add(string.Format(format, T("EmailReinstatementText", culture), dateLong, time, facts.ServiceName, place));
                paragraphs.Add(T("EmailDetailsLink", culture) + "\n" + facts.Link);
                break;
            default:
                subject = string.Format(format, T("EmailConfirmationSubject", culture), dateShort, facts.TenantName);
                paragraphs.Add(string.Format(format, T("EmailConfirmationText", culture), dateLong, time, facts.ServiceName, place));
                paragraphs.Add(T("EmailDetailsLink", culture) + "\n" + facts.Link);
                paragraphs.Add(T("EmailChangeHint", culture));
                calendar = Calendar(facts, culture, format, place, composedAt);
                break;
        }
        if (!string.IsNullOrWhiteSpace(facts.TenantPhone)) paragraphs.Add(string.Format(format, T("EmailContact", culture), facts.TenantPhone));
        paragraphs.Add(string.Format(format, T("EmailClosing", culture), facts.TenantName));
        paragraphs.Add(T("EmailAutomatic", culture));
        var text = string.Join("\n\n", paragraphs);
        return new OutgoingMessage(to, text, subject, Html(paragraphs, facts.Link, culture), calendar);
    }

    static string Html(IEnumerable<string> paragraphs, string link, CultureInfo culture)
    {
        var direction = culture.TextInfo.IsRightToLeft ? "rtl" : "ltr";
        var html = new StringBuilder($"<!DOCTYPE html><html lang=\"{culture.TwoLetterISOLanguageName}\" dir=\"{direction}\"><head><meta charset=\"utf-8\"></head>");
        html.Append("<body style=\"font-family:sans-serif;font-size:16px;line-height:1.5\">");
        var encodedLink = WebUtility.HtmlEncode(link);
        foreach (var paragraph in paragraphs)
        {
            var encoded = WebUtility.HtmlEncode(paragraph).Replace("\n", "<br>");
            encoded = encoded.Replace(encodedLink, $"<a href=\"{encodedLink}\">{encodedLink}</a>");
            html.Append("<p>").Append(encoded).Append("</p>");
        }
        return html.Append("</body></html>").ToString();
    }

    static CalendarFile Calendar(MessageFacts facts, CultureInfo culture, CultureInfo format, string place, DateTimeOffset composedAt)
    {
        static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        static string Escape(string s) => s.Replace("\\", "\\\\").Replace(";", "\\;").Replace(",", "\\,").Replace("\n", "\\n");
        var lines = new[]
        {
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Rebooking//Buergerbuero//DE", "METHOD:PUBLISH", "BEGIN:VEVENT",
            $"UID:{facts.BookingRef}@rebooking", $"SEQUENCE:{facts.Sequence.ToString(CultureInfo.InvariantCulture)}", $"DTSTAMP:{Utc(composedAt)}", $"DTSTART:{Utc(facts.Start)}", $"DTEND:{Utc(facts.End)}",
            $"SUMMARY:{Escape(string.Format(format, T("CalendarSummary", culture), facts.ServiceName))}",
            $"LOCATION:{Escape(place)}", $"DESCRIPTION:{Escape(facts.Link)}", "END:VEVENT", "END:VCALENDAR",
        };
        return new CalendarFile("termin.ics", string.Join("\r\n", lines) + "\r\n");
    }

    /// <summary>
    /// Replaces German typography that silently turns an SMS into UCS-2 („ “ ” ‘ ’ – — … no-break space)
    /// with GSM-7 equivalents, the same mapping Twilio's SmartEncoded applies, so the body we hash is the
    /// body Twilio stores.
    /// </summary>
    public static string ToGsmFriendly(string text) => text
        .Replace('„', '"').Replace('“', '"').Replace('”', '"').Replace('‘', '\'').Replace('’', '\'')
        .Replace('–', '-').Replace('—', '-').Replace("…", "...").Replace('\u00A0', ' ');
}
