using System.Collections;
using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Rebooking.Notifications;
using Rebooking.Rebookings;
using Rebooking.Voice;

namespace Rebooking.Tests.Voice;

/// <summary>
/// The call's TwiML in every citizen language (de, en, tr, uk, ar): the voice Twilio is asked for, the keys offered, the
/// date and time as words of that language, and nothing personal spoken. The scripts are built directly, with the voices
/// passed in, so no other test's configuration can leak in.
/// </summary>
public sealed class VoiceScriptLanguageTests
{
    const string GatherUrl = "https://termine.velbert.de/webhooks/twilio/voice/42/gather";

    /// <summary>What issue 17 asks for, written out here rather than read from the code under test.</summary>
    static readonly Dictionary<string, (string SayLanguage, string Voice, string Culture, string PressOne)> Expected = new()
    {
        ["de"] = ("de-DE", "Polly.Vicki", "de-DE", "drücken Sie die 1"),
        ["en"] = ("en-GB", "Polly.Amy", "en-GB", "press 1"),
        ["tr"] = ("tr-TR", "Polly.Filiz", "tr-TR", "1 tuşuna basın"),
        ["uk"] = ("uk-UA", "Google.uk-UA-Standard-A", "uk-UA", "натисніть 1"),
        ["ar"] = ("arb", "Polly.Zeina", "ar", "اضغط 1"),
    };

    static readonly string[] AllLanguages = ["de", "en", "tr", "uk", "ar"];

    // Thursday 6 May 2021, 09:00 in Velbert (CEST); the offer is Friday 7 May, 09:30.
    static LinkedBooking BookingIn(string language, DateTimeOffset? start = null) => new()
    {
        AffectedId = 7, Outcome = "open", TenantId = "velbert", TenantName = "Stadt Velbert", TimeZone = "Europe/Berlin",
        Start = start ?? DateTimeOffset.Parse("2021-05-06T07:00:00Z", CultureInfo.InvariantCulture),
        End = (start ?? DateTimeOffset.Parse("2021-05-06T07:00:00Z", CultureInfo.InvariantCulture)).AddMinutes(15),
        Language = language, OfficeName = "Servicebüro Mitte", ServiceName = "Geburtsurkunde",
        Name = "Ayşe Bürger", BookingRef = "REF-4711", Email = null, PhoneKind = "landline", ContactPhone = "02051 2690",
        PublicMessage = "", PublicMessageLanguage = "de",
    };

    static readonly Offer[] Offers =
    [
        new() { SlotId = 11, OfficeId = "mitte", OfficeName = "Servicebüro Mitte", Start = DateTimeOffset.Parse("2021-05-07T07:30:00Z", CultureInfo.InvariantCulture) },
        new() { SlotId = 12, OfficeId = "mitte", OfficeName = "Servicebüro Mitte", Start = DateTimeOffset.Parse("2021-05-07T12:45:00Z", CultureInfo.InvariantCulture) },
    ];

    static readonly NewAppointment Appointment = new()
    {
        BookingRef = "REF-9999", OfficeName = "Servicebüro Mitte",
        Start = DateTimeOffset.Parse("2021-05-07T07:30:00Z", CultureInfo.InvariantCulture), End = DateTimeOffset.Parse("2021-05-07T07:45:00Z", CultureInfo.InvariantCulture),
    };

    /// <summary>Every document a call can hear, by name.</summary>
    static Dictionary<string, XElement> Documents(LinkedBooking booking, VoiceLanguages voices) => new Dictionary<string, string>
    {
        ["cancellation"] = VoiceScript.Cancellation(booking, Offers, 0, GatherUrl, voices),
        ["menu (next offer)"] = VoiceScript.Menu(booking, Offers, 1, GatherUrl, "NextOffer", false, voices),
        ["menu (9: everything again)"] = VoiceScript.Menu(booking, Offers, 0, GatherUrl, null, true, voices),
        ["menu (no offer left)"] = VoiceScript.Menu(booking, Offers, 2, GatherUrl, "NoInputOnce", false, voices),
        ["booked"] = VoiceScript.Booked(booking, Appointment, voices),
        ["end with hotline"] = VoiceScript.EndWithHotline(booking, "Declined", voices),
        ["machine"] = VoiceScript.Machine(booking, false, voices),
        ["machine, reinstated"] = VoiceScript.Machine(booking, true, voices),
        ["reinstated"] = VoiceScript.Reinstated(booking, voices),
    }.ToDictionary(d => d.Key, d => XDocument.Parse(d.Value).Root!);

    static string Spoken(XElement twiml) => string.Join(" | ", twiml.Descendants("Say").Select(s => s.Value));

    [TestCaseSource(nameof(AllLanguages))]
    public void EveryDocument_IsWellFormedTwiml_AndEverySayCarriesTheLanguagesLanguageAndVoice(string language)
    {
        var (sayLanguage, voice, _, _) = Expected[language];
        foreach (var (name, twiml) in Documents(BookingIn(language), VoiceLanguages.Default))
        {
            Assert.That(twiml.Name.LocalName, Is.EqualTo("Response"), name);
            var says = twiml.Descendants("Say").ToList();
            Assert.That(says, Is.Not.Empty, name);
            Assert.That(says.Select(s => s.Attribute("language")?.Value), Is.All.EqualTo(sayLanguage), name);
            Assert.That(says.Select(s => s.Attribute("voice")?.Value), Is.All.EqualTo(voice), name);
            Assert.That(says.Select(s => s.Value.Trim()), Has.None.Empty, name);
        }
    }

    [TestCaseSource(nameof(AllLanguages))]
    public void TheMenu_OffersDigitOneWithTheActionUrl_AndNamesTheKeys_InTheLanguage(string language)
    {
        var documents = Documents(BookingIn(language), VoiceLanguages.Default);
        foreach (var name in new[] { "cancellation", "menu (next offer)", "menu (9: everything again)" })
        {
            var twiml = documents[name];
            var gather = twiml.Elements("Gather").Single();
            Assert.That(twiml.Elements().Last(), Is.SameAs(gather), $"{name}: the menu comes last");
            Assert.That(gather.Attribute("input")?.Value, Is.EqualTo("dtmf"));
            Assert.That(gather.Attribute("numDigits")?.Value, Is.EqualTo("1"));
            Assert.That(gather.Attribute("method")?.Value, Is.EqualTo("POST"));
            Assert.That(gather.Attribute("action")?.Value, Is.EqualTo(GatherUrl));
            var menu = string.Join(" ", gather.Elements("Say").Select(s => s.Value));
            Assert.That(menu, Does.Contain(Expected[language].PressOne), name);
            foreach (var key in new[] { "1", "2", "3", "9" })
                Assert.That(Regex.IsMatch(menu, $@"(?<!\d){key}(?!\d)"), Is.True, $"{name}: key {key} in «{menu}»");
        }
        var noOffer = string.Join(" ", documents["menu (no offer left)"].Descendants("Gather").Elements("Say").Select(s => s.Value));
        Assert.That(Regex.IsMatch(noOffer, @"(?<!\d)1(?!\d)"), Is.False, "no offer, no key 1: " + noOffer);
        Assert.That(noOffer, Does.Contain("3").And.Contain("9"));
        foreach (var name in new[] { "booked", "end with hotline", "machine", "machine, reinstated", "reinstated" })
        {
            Assert.That(documents[name].Descendants("Gather"), Is.Empty, name);
            Assert.That(documents[name].Elements().Last().Name.LocalName, Is.EqualTo("Hangup"), name);
        }
    }

    [TestCaseSource(nameof(AllLanguages))]
    public void TheDate_HasTheCulturesOwnWeekdayAndMonthName_AndTheTimeIsWords(string language)
    {
        var culture = CultureInfo.GetCultureInfo(Expected[language].Culture);
        var format = culture.DateTimeFormat;
        // Ukrainian says "6 травня" (of May): the genitive; the others use the month's plain name.
        string Month(int month) => language == "uk" ? format.MonthGenitiveNames[month - 1] : format.GetMonthName(month);
        var documents = Documents(BookingIn(language), VoiceLanguages.Default);

        var cancellation = Spoken(documents["cancellation"]);
        Assert.That(cancellation, Does.Contain(format.GetDayName(DayOfWeek.Thursday)), "the appointment's weekday");
        Assert.That(cancellation, Does.Contain(format.GetDayName(DayOfWeek.Friday)), "the offer's weekday");
        Assert.That(cancellation, Does.Contain(Month(5)));
        if (language != "en")
            Assert.That(format.GetDayName(DayOfWeek.Thursday), Is.Not.EqualTo("Thursday"), "ICU culture data is there (not invariant globalization)");
        if (language != "de")
            Assert.That(cancellation, Does.Not.Contain("Donnerstag").And.Not.Contain("Uhr"), "nothing German in another language's call");
        foreach (var (name, twiml) in documents)
            Assert.That(Spoken(twiml), Does.Not.Match(@"\d{1,2}[:.]\d\d"), $"{name}: times as words, never '09:30'");
    }

    [TestCase("de", "Freitag, 7. Mai um neun Uhr dreißig")]
    [TestCase("en", "Friday, 7 May at nine thirty a.m.")]
    [TestCase("tr", "7 Mayıs Cuma, saat dokuz otuz")]
    [TestCase("uk", "пʼятниця, 7 травня, о дев’ятій тридцять")]
    [TestCase("ar", "الجمعة، 7 مايو، الساعة التاسعة والنصف صباحًا")]
    public void TheOffer_IsReadAsDateAndClockInWords(string language, string expected)
    {
        var weekday = CultureInfo.GetCultureInfo(Expected[language].Culture).DateTimeFormat.GetDayName(DayOfWeek.Friday);
        // The weekday is the culture's own spelling (ICU may write Ukrainian's apostrophe as ʼ or ’).
        var wanted = language == "uk" ? expected.Replace("пʼятниця", weekday) : expected;
        var menu = string.Join(" ", Documents(BookingIn(language), VoiceLanguages.Default)["cancellation"].Descendants("Gather").Elements("Say").Select(s => s.Value));
        Assert.That(menu, Does.Contain(wanted));
    }

    [TestCase("tr", 14, 5, "on dört sıfır beş")]
    [TestCase("tr", 9, 0, "dokuz")]
    [TestCase("tr", 17, 45, "on yedi kırk beş")]
    [TestCase("uk", 11, 0, "об одинадцятій годині")]
    [TestCase("uk", 9, 21, "о дев’ятій двадцять одна")]
    [TestCase("uk", 14, 2, "о чотирнадцятій нуль дві")]
    [TestCase("uk", 16, 45, "о шістнадцятій сорок п’ять")]
    [TestCase("ar", 9, 15, "التاسعة والربع صباحًا")]
    [TestCase("ar", 12, 0, "الثانية عشرة ظهرًا")]
    [TestCase("ar", 10, 10, "العاشرة وعشر دقائق صباحًا")]
    [TestCase("ar", 15, 45, "الثالثة وخمس وأربعون دقيقة عصرًا")]
    [TestCase("ar", 18, 2, "السادسة ودقيقتان مساءً")]
    [TestCase("de", 13, 1, "dreizehn Uhr eins")]
    [TestCase("en", 13, 5, "one oh five p.m.")]
    public void TheClock_IsSpokenByEachLanguagesRule(string language, int hour, int minute, string expected)
    {
        var local = new DateTimeOffset(2021, 5, 6, hour, minute, 0, TimeSpan.FromHours(2));
        Assert.That(SpokenTime.Time(local, language), Is.EqualTo(expected));
    }

    [TestCase("2021-05-06T07:30:00Z")] // summer: CEST, UTC+2
    [TestCase("2021-12-02T08:30:00Z")] // winter: CET, UTC+1
    public void TheTime_IsTheTenantsLocalTime_InSummerAndInWinter(string utc)
    {
        var booking = BookingIn("tr", DateTimeOffset.Parse(utc, CultureInfo.InvariantCulture));
        var spoken = Spoken(Documents(booking, VoiceLanguages.Default)["reinstated"]);
        Assert.That(spoken, Does.Contain("saat dokuz otuz"), spoken);
    }

    [TestCase("de", "null, zwei, null, fünf, eins, zwei, sechs, neun, null")]
    [TestCase("en", "zero, two, zero, five, one, two, six, nine, zero")]
    [TestCase("tr", "sıfır, iki, sıfır, beş, bir, iki, altı, dokuz, sıfır")]
    [TestCase("uk", "нуль, два, нуль, п’ять, один, два, шість, дев’ять, нуль")]
    [TestCase("ar", "صفر، اثنان، صفر، خمسة، واحد، اثنان، ستة، تسعة، صفر")]
    public void TheHotlineNumber_IsReadDigitByDigitInTheLanguage_Twice(string language, string digits)
    {
        foreach (var name in new[] { "end with hotline", "machine", "reinstated" })
        {
            var says = Documents(BookingIn(language), VoiceLanguages.Default)[name].Descendants("Say").Select(s => s.Value).ToList();
            Assert.That(says.Count(s => s == digits), Is.EqualTo(2), $"{name}: {string.Join(" | ", says)}");
        }
    }

    [TestCaseSource(nameof(AllLanguages))]
    public void NoName_NoBookingReference_NoTokenAndNoLink_IsSpoken(string language)
    {
        var booking = BookingIn(language);
        foreach (var (name, twiml) in Documents(booking, VoiceLanguages.Default))
        {
            var spoken = Spoken(twiml);
            Assert.That(spoken, Does.Not.Contain("Ayşe").And.Not.Contain("Bürger"), $"{name}: no name");
            Assert.That(spoken, Does.Not.Contain("REF-").And.Not.Contain("4711").And.Not.Contain("9999"), $"{name}: no booking reference");
            Assert.That(spoken, Does.Not.Contain("http").And.Not.Contain("/r/").And.Not.Contain("webhooks").And.Not.Contain("termine."), $"{name}: no link, no token");
        }
        var machine = Spoken(Documents(booking, VoiceLanguages.Default)["machine"]);
        Assert.That(machine, Does.Not.Contain("Servicebüro").And.Not.Match(@"\d"), "a tape hears no date, no office, and the number only as words");
    }

    [Test]
    public void AnUnknownLanguage_HearsGerman_WithTheGermanVoice()
    {
        foreach (var language in new[] { "fr", "", "TR", "de-AT" })
        {
            var twiml = Documents(BookingIn(language), VoiceLanguages.Default)["cancellation"];
            Assert.That(twiml.Descendants("Say").Select(s => s.Attribute("language")?.Value), Is.All.EqualTo("de-DE"), language);
            Assert.That(twiml.Descendants("Say").Select(s => s.Attribute("voice")?.Value), Is.All.EqualTo("Polly.Vicki"), language);
            Assert.That(Spoken(twiml), Does.Contain("Donnerstag, 6. Mai um neun Uhr").And.Contain("drücken Sie die 1"), language);
        }
    }

    [Test]
    public void AConfiguredVoice_ReplacesThatLanguagesVoice_AndNoOther()
    {
        var voices = new VoiceLanguages(new Dictionary<string, string> { ["UK"] = "uk-UA|Google.uk-UA-Wavenet-A", ["tr"] = " tr-TR|Google.tr-TR-Wavenet-C " });

        var ukrainian = Documents(BookingIn("uk"), voices)["cancellation"].Descendants("Say").ToList();
        Assert.That(ukrainian.Select(s => s.Attribute("voice")?.Value), Is.All.EqualTo("Google.uk-UA-Wavenet-A"));
        Assert.That(ukrainian.Select(s => s.Attribute("language")?.Value), Is.All.EqualTo("uk-UA"));
        Assert.That(Documents(BookingIn("tr"), voices)["booked"].Descendants("Say").Select(s => s.Attribute("voice")?.Value), Is.All.EqualTo("Google.tr-TR-Wavenet-C"));
        foreach (var other in new[] { "de", "en", "ar" })
            Assert.That(Documents(BookingIn(other), voices)["machine"].Descendants("Say").Select(s => s.Attribute("voice")?.Value), Is.All.EqualTo(Expected[other].Voice), other);
    }

    [TestCase("fr", "fr-FR|Polly.Lea", TestName = "AnOverrideForALanguageCitizensCannotHave_IsRefused")]
    [TestCase("uk", "Google.uk-UA-Wavenet-A", TestName = "AnOverrideWithoutItsSayLanguage_IsRefused")]
    [TestCase("uk", "uk-UA|", TestName = "AnOverrideWithoutAVoice_IsRefused")]
    [TestCase("uk", "uk-UA|Azure.uk-UA-PolinaNeural", TestName = "AnOverrideWithAVoiceTwilioDoesNotName_IsRefused")]
    [TestCase("ar", "arb Polly.Zeina", TestName = "AnOverrideWithoutTheBar_IsRefused")]
    public void AnInvalidOverride_IsRefused(string language, string value)
    {
        var overrides = new Dictionary<string, string> { [language] = value };
        Assert.That(VoiceLanguages.AreValid(overrides), Is.False);
        Assert.That(() => new VoiceLanguages(overrides), Throws.ArgumentException.With.Message.Contain("Voice:Voices"));
    }

    [Test]
    public void EveryCitizenLanguage_HasAVoice_AndEveryVoiceText_WithTheSamePlaceholders()
    {
        var manager = new ResourceManager("Rebooking.Voice.VoiceTexts", typeof(VoiceScript).Assembly);
        static Dictionary<string, string> Entries(ResourceSet set) =>
            set.Cast<DictionaryEntry>().ToDictionary(e => (string)e.Key, e => (string)e.Value!);
        var german = Entries(manager.GetResourceSet(CultureInfo.InvariantCulture, true, false)!);
        Assert.That(german, Has.Count.GreaterThanOrEqualTo(19));
        foreach (var language in MessageComposer.Languages)
        {
            Assert.That(VoiceLanguages.Defaults.ContainsKey(language), Is.True, $"{language} has a voice");
            Assert.That(VoiceLanguages.LanguageOf(language), Is.EqualTo(language), "the booking's language picks, as for SMS");
            if (language == "de") continue;
            var set = manager.GetResourceSet(CultureInfo.GetCultureInfo(language), true, false);
            Assert.That(set, Is.Not.Null, $"VoiceTexts.{language}.resx");
            var texts = Entries(set!);
            Assert.That(texts.Keys, Is.EquivalentTo(german.Keys), $"VoiceTexts.{language}.resx has every key of VoiceTexts.resx");
            foreach (var (key, text) in german)
            {
                static string[] Holes(string s) => Regex.Matches(s, @"\{\d\}").Select(m => m.Value).Order().ToArray();
                Assert.That(Holes(texts[key]), Is.EqualTo(Holes(text)), $"{language} {key}: the same placeholders");
                Assert.That(texts[key], Is.Not.EqualTo(text), $"{language} {key}: translated, not the German text");
            }
        }
    }
}
