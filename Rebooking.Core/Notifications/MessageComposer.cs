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

/// <summary>Everything a message to one citizen may say. Times are UTC; they are shown in the tenant's zone.</summary>
public sealed record MessageFacts(
    string Kind, string Language, string TenantName, TimeZoneInfo Zone, string? TenantPhone,
    string OfficeName, string? OfficeAddress, string ServiceName, DateTimeOffset Start, DateTimeOffset End,
    string? PublicMessage, string CitizenName, string Link, string BookingRef);

/// <summary>
/// Writes the texts citizens get, in plain German, or English when the booking asks for it (other
/// languages get German, the office's language). Texts come from <c>Texts.resx</c> / <c>Texts.en.resx</c>.
/// An SMS carries no name and no service, and is written in GSM-7 so it stays within two segments where
/// the public message allows; an email greets by name and has an HTML alternative, and a confirmation
/// carries an .ics file.
/// </summary>
public static class MessageComposer
{
    static readonly ResourceManager Texts = new("Rebooking.Notifications.Texts", typeof(MessageComposer).Assembly);

    public static CultureInfo CultureFor(string language) => CultureInfo.GetCultureInfo(language == "en" ? "en" : "de");

    static string T(string key, CultureInfo culture) => Texts.GetString(key, culture) ?? throw new MissingManifestResourceException(key);

    public static OutgoingMessage Sms(string to, MessageFacts facts)
    {
        var culture = CultureFor(facts.Language);
        var format = CultureInfo.GetCultureInfo(T("Culture", culture));
        var local = TimeZoneInfo.ConvertTime(facts.Start, facts.Zone);
        var date = local.ToString(T("DateShort", culture), format);
        var time = local.ToString(T("Time", culture), format);
        var text = facts.Kind switch
        {
            NotificationKind.Cancellation => string.Format(format, T("SmsCancellation", culture), facts.TenantName, date, time, facts.OfficeName,
                facts.PublicMessage?.Trim(), facts.Link),
            NotificationKind.Reinstatement => string.Format(format, T("SmsReinstatement", culture), facts.TenantName, date, time, facts.OfficeName, facts.Link),
            _ => string.Format(format, T("SmsConfirmation", culture), facts.TenantName, date, time, facts.OfficeName, facts.Link),
        };
        if (!string.IsNullOrWhiteSpace(facts.TenantPhone)) text += string.Format(format, T("SmsQuestions", culture), facts.TenantPhone);
        return new OutgoingMessage(to, ToGsmFriendly(text));
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
        var html = new StringBuilder($"<!DOCTYPE html><html lang=\"{culture.TwoLetterISOLanguageName}\"><head><meta charset=\"utf-8\"></head>");
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
            $"UID:{facts.BookingRef}@rebooking", $"DTSTAMP:{Utc(composedAt)}", $"DTSTART:{Utc(facts.Start)}", $"DTEND:{Utc(facts.End)}",
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
