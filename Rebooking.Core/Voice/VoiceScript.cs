using System.Globalization;
using System.Resources;
using System.Xml.Linq;
using Rebooking.Rebookings;

namespace Rebooking.Voice;

/// <summary>
/// What the citizen hears, as TwiML. German, or English for English bookings (other languages hear German, the
/// office's language), with a voice of that language; the texts come from <c>VoiceTexts.resx</c> /
/// <c>VoiceTexts.en.resx</c>. Nothing spoken names the citizen, the booking reference or a link: someone else may
/// answer the phone, and a tape keeps what it hears.
/// </summary>
public static class VoiceScript
{
    static readonly ResourceManager Texts = new("Rebooking.Voice.VoiceTexts", typeof(VoiceScript).Assembly);

    /// <summary>Seconds a <c>Gather</c> waits for a key.</summary>
    public const int GatherTimeoutSeconds = 6;

    /// <summary>The cancellation call: who calls, what happened, the first offer and the keys.</summary>
    public static string Cancellation(LinkedBooking booking, IReadOnlyList<Offer> offers, int offerIndex, string gatherUrl) =>
        Build(r =>
        {
            Intro(r, booking);
            Menu(r, booking, offers, offerIndex, gatherUrl);
        });

    /// <summary>The menu again (after key 2, 9, an unknown key or one silence); <paramref name="lead"/> is said first.</summary>
    public static string Menu(LinkedBooking booking, IReadOnlyList<Offer> offers, int offerIndex, string gatherUrl, string? leadKey = null, bool intro = false) =>
        Build(r =>
        {
            if (leadKey is not null) Say(r, booking, T(leadKey, booking));
            if (intro) Intro(r, booking);
            Menu(r, booking, offers, offerIndex, gatherUrl);
        });

    /// <summary>Key 1 booked: the new appointment read back, then goodbye.</summary>
    public static string Booked(LinkedBooking booking, NewAppointment appointment) =>
        Build(r =>
        {
            Say(r, booking, F("Booked", booking, Spoken(booking, appointment.Start), appointment.OfficeName));
            Say(r, booking, T("Goodbye", booking));
            r.Add(new XElement("Hangup"));
        });

    /// <summary>An ending with the hotline's number, slowly, twice: after a decline, two silences, no more offers, or a decided booking.</summary>
    public static string EndWithHotline(LinkedBooking booking, string leadKey) =>
        Build(r =>
        {
            Say(r, booking, T(leadKey, booking));
            Hotline(r, booking);
            Say(r, booking, T("Goodbye", booking));
            r.Add(new XElement("Hangup"));
        });

    /// <summary>For an answering machine: who called, that the appointment was cancelled, and the number to call back. Nothing personal.</summary>
    public static string Machine(LinkedBooking booking, bool reinstated) =>
        Build(r =>
        {
            Say(r, booking, F(reinstated ? "MachineReinstated" : "Machine", booking, booking.TenantName));
            Hotline(r, booking);
            r.Add(new XElement("Hangup"));
        });

    /// <summary>The reinstatement call to a human: the appointment takes place after all.</summary>
    public static string Reinstated(LinkedBooking booking) =>
        Build(r =>
        {
            Say(r, booking, F("Intro", booking, booking.TenantName));
            Say(r, booking, F("Reinstated", booking, Spoken(booking, booking.Start), booking.OfficeName));
            Hotline(r, booking);
            Say(r, booking, T("Goodbye", booking));
            r.Add(new XElement("Hangup"));
        });

    /// <summary>A request about a call we do not know (or no longer need): hang up, say nothing.</summary>
    public static string HangUp() => "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Response><Hangup /></Response>";

    static void Intro(XElement r, LinkedBooking booking)
    {
        Say(r, booking, F("Intro", booking, booking.TenantName));
        Say(r, booking, F("Cancelled", booking, Spoken(booking, booking.Start), booking.OfficeName));
        if (!string.IsNullOrWhiteSpace(booking.PublicMessage)) Say(r, booking, booking.PublicMessage);
    }

    static void Menu(XElement r, LinkedBooking booking, IReadOnlyList<Offer> offers, int offerIndex, string gatherUrl)
    {
        var gather = new XElement("Gather",
            new XAttribute("input", "dtmf"), new XAttribute("numDigits", "1"),
            new XAttribute("timeout", GatherTimeoutSeconds.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("action", gatherUrl), new XAttribute("method", "POST"), new XAttribute("actionOnEmptyResult", "true"));
        if (offerIndex < offers.Count)
        {
            var offer = offers[offerIndex];
            Say(gather, booking, F("Menu", booking, Spoken(booking, offer.Start), offer.OfficeName));
        }
        else
            Say(gather, booking, T("MenuNoOffer", booking));
        r.Add(gather);
    }

    static void Hotline(XElement r, LinkedBooking booking)
    {
        if (string.IsNullOrWhiteSpace(booking.ContactPhone)) return;
        var digits = SpokenTime.Digits(booking.ContactPhone, English(booking));
        for (var i = 0; i < 2; i++)
        {
            Say(r, booking, T(i == 0 ? "Hotline" : "HotlineAgain", booking));
            r.Add(new XElement("Pause", new XAttribute("length", "1")));
            Say(r, booking, digits);
            r.Add(new XElement("Pause", new XAttribute("length", "1")));
        }
    }

    static string Spoken(LinkedBooking booking, DateTimeOffset start)
    {
        var local = TimeZoneInfo.ConvertTime(start, booking.Zone);
        return F("When", booking, SpokenTime.Date(local, English(booking)), SpokenTime.Time(local, English(booking)));
    }

    static bool English(LinkedBooking booking) => booking.Language == "en";

    static void Say(XElement parent, LinkedBooking booking, string text)
    {
        parent.Add(new XElement("Say",
            new XAttribute("language", English(booking) ? "en-GB" : "de-DE"),
            new XAttribute("voice", English(booking) ? "Polly.Amy" : "Polly.Vicki"),
            text));
        if (parent.Name == "Response") parent.Add(new XElement("Pause", new XAttribute("length", "1")));
    }

    static string Build(Action<XElement> fill)
    {
        var response = new XElement("Response");
        fill(response);
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + response.ToString(SaveOptions.DisableFormatting);
    }

    static CultureInfo Culture(LinkedBooking booking) => CultureInfo.GetCultureInfo(English(booking) ? "en" : "de");

    static string T(string key, LinkedBooking booking) => Texts.GetString(key, Culture(booking)) ?? throw new MissingManifestResourceException(key);

    static string F(string key, LinkedBooking booking, params object[] args) => string.Format(Culture(booking), T(key, booking), args);
}
