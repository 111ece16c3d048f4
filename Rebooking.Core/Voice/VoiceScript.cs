using System.Globalization;
using System.Resources;
using System.Xml.Linq;
using Rebooking.Rebookings;

namespace Rebooking.Voice;

/// <summary>
/// What the citizen hears, as TwiML, in the booking's language: German, English, Turkish, Ukrainian or Arabic (any other
/// language hears German, the office's language; <see cref="VoiceLanguages.LanguageOf"/>), each with its own voice
/// (<see cref="VoiceLanguages"/>). The texts come from <c>VoiceTexts.resx</c> (German) and <c>VoiceTexts.{language}.resx</c>;
/// dates, times and the hotline number are spoken as words (<see cref="SpokenTime"/>). Nothing spoken names the citizen, the
/// booking reference or a link: someone else may answer the phone, and a tape keeps what it hears. The clerk's public
/// message is read as the booking carries it (in the citizen's language when the clerk gave one, else in German).
/// </summary>
public static class VoiceScript
{
    static readonly ResourceManager Texts = new("Rebooking.Voice.VoiceTexts", typeof(VoiceScript).Assembly);
    /// <summary>Seconds a <c>Gather</c> waits for a key.</summary>
    public const int GatherTimeoutSeconds = 6;

    /// <summary>The cancellation call: who calls, what happened, the first offer and the keys.</summary>
    public static string Cancellation(LinkedBooking booking, IReadOnlyList<Offer> offers, int offerIndex, string gatherUrl, VoiceLanguages? voices = null) =>
        Build(booking, voices, s =>
        {
            Intro(s);
            Menu(s, offers, offerIndex, gatherUrl);
        });

    /// <summary>The menu again (after key 2, 9, an unknown key or one silence); the text of <paramref name="leadKey"/> is said first.</summary>
    public static string Menu(LinkedBooking booking, IReadOnlyList<Offer> offers, int offerIndex, string gatherUrl, string? leadKey = null, bool intro = false,
        VoiceLanguages? voices = null) =>
        Build(booking, voices, s =>
        {
            if (leadKey is not null) s.Say(s.T(leadKey));
            if (intro) Intro(s);
            Menu(s, offers, offerIndex, gatherUrl);
        });

    /// <summary>Key 1 booked: the new appointment read back, then goodbye.</summary>
    public static string Booked(LinkedBooking booking, NewAppointment appointment, VoiceLanguages? voices = null) =>
        Build(booking, voices, s =>
        {
            s.Say(s.F("Booked", s.When(appointment.Start), appointment.OfficeName));
            s.Say(s.T("Goodbye"));
            s.Response.Add(new XElement("Hangup"));
        });

    /// <summary>An ending with the hotline's number, slowly, twice: after a decline, two silences, no more offers, or a decided booking.</summary>
    public static string EndWithHotline(LinkedBooking booking, string leadKey, VoiceLanguages? voices = null) =>
        Build(booking, voices, s =>
        {
            s.Say(s.T(leadKey));
            Hotline(s);
            s.Say(s.T("Goodbye"));
            s.Response.Add(new XElement("Hangup"));
        });

    /// <summary>For an answering machine: who called, that the appointment was cancelled, and the number to call back. Nothing personal.</summary>
    public static string Machine(LinkedBooking booking, bool reinstated, VoiceLanguages? voices = null) =>
        Build(booking, voices, s =>
        {
            s.Say(s.F(reinstated ? "MachineReinstated" : "Machine", booking.TenantName));
            Hotline(s);
            s.Response.Add(new XElement("Hangup"));
        });

    /// <summary>The reinstatement call to a human: the appointment takes place after all.</summary>
    public static string Reinstated(LinkedBooking booking, VoiceLanguages? voices = null) =>
        Build(booking, voices, s =>
        {
            s.Say(s.F("Intro", booking.TenantName));
            s.Say(s.F("Reinstated", s.When(booking.Start), booking.OfficeName));
            Hotline(s);
            s.Say(s.T("Goodbye"));
            s.Response.Add(new XElement("Hangup"));
        });

    /// <summary>A request about a call we do not know (or no longer need): hang up, say nothing.</summary>
    public static string HangUp() => "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Response><Hangup /></Response>";

    static void Intro(Speech s)
    {
        s.Say(s.F("Intro", s.Booking.TenantName));
        s.Say(s.F("Cancelled", s.When(s.Booking.Start), s.Booking.OfficeName));
        if (!string.IsNullOrWhiteSpace(s.Booking.PublicMessage)) s.Say(s.Booking.PublicMessage);
    }

    static void Menu(Speech s, IReadOnlyList<Offer> offers, int offerIndex, string gatherUrl)
    {
        var gather = new XElement("Gather",
            new XAttribute("input", "dtmf"), new XAttribute("numDigits", "1"),
            new XAttribute("timeout", GatherTimeoutSeconds.ToString(CultureInfo.InvariantCulture)),
            new XAttribute("action", gatherUrl), new XAttribute("method", "POST"), new XAttribute("actionOnEmptyResult", "true"));
        if (offerIndex < offers.Count)
        {
            var offer = offers[offerIndex];
            s.Say(s.F("Menu", s.When(offer.Start), offer.OfficeName), gather);
        }
        else
            s.Say(s.T("MenuNoOffer"), gather);
        s.Response.Add(gather);
    }

    static void Hotline(Speech s)
    {
        if (string.IsNullOrWhiteSpace(s.Booking.ContactPhone)) return;
        var digits = SpokenTime.Digits(s.Booking.ContactPhone, s.Language);
        for (var i = 0; i < 2; i++)
        {
            s.Say(s.T(i == 0 ? "Hotline" : "HotlineAgain"));
            s.Response.Add(new XElement("Pause", new XAttribute("length", "1")));
            s.Say(digits);
            s.Response.Add(new XElement("Pause", new XAttribute("length", "1")));
        }
    }

    static string Build(LinkedBooking booking, VoiceLanguages? voices, Action<Speech> fill)
    {
        var speech = new Speech(booking, voices ?? VoiceLanguages.Default);
        fill(speech);
        return "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n" + speech.Response.ToString(SaveOptions.DisableFormatting);
    }

    /// <summary>One TwiML document being written for one booking: its language, voice and texts.</summary>
    sealed class Speech(LinkedBooking booking, VoiceLanguages voices)
    {
        public LinkedBooking Booking { get; } = booking;
        public string Language { get; } = VoiceLanguages.LanguageOf(booking.Language);
        public XElement Response { get; } = new("Response");
        readonly SpeakingVoice voice = voices.For(booking.Language);
        CultureInfo Culture => CultureInfo.GetCultureInfo(Language);

        /// <summary>Adds a <c>Say</c> in this booking's language and voice to <paramref name="parent"/> (the response unless given), with a pause after it at the top level.</summary>
        public void Say(string text, XElement? parent = null)
        {
            parent ??= Response;
            parent.Add(new XElement("Say", new XAttribute("language", voice.SayLanguage), new XAttribute("voice", voice.Voice), text));
            if (parent == Response) parent.Add(new XElement("Pause", new XAttribute("length", "1")));
        }

        /// <summary>A date and time as the language's <c>When</c> text says it, in the tenant's zone.</summary>
        public string When(DateTimeOffset start)
        {
            var local = TimeZoneInfo.ConvertTime(start, Booking.Zone);
            return F("When", SpokenTime.Date(local, Language), SpokenTime.Time(local, Language));
        }

        public string T(string key) => Texts.GetString(key, Culture) ?? throw new MissingManifestResourceException(key);

        public string F(string key, params object[] args) => string.Format(Culture, T(key), args);
    }
}
