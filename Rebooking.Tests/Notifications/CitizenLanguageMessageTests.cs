using System.Text;
using Rebooking.Notifications;
using Rebooking.Outages;

namespace Rebooking.Tests.Notifications;

/// <summary>
/// The citizens' texts in German, English, Turkish, Ukrainian and Arabic: every SMS template in every language
/// within three segments with the longest public message the validator allows, the link and the date never
/// cut; e-mails in the language, Arabic right to left; the .ics of a change moves the calendar entry.
/// </summary>
public sealed class CitizenLanguageMessageTests
{
    const string Link = "https://termine.castrop-rauxel.de/r/abcdefghijklmnopqrstuvwx";

    /// <summary>A public message of exactly the allowed maximum, in the language's own script (forcing UCS-2 where the script does).</summary>
    static string LongestMessage(string language)
    {
        var sentence = language switch
        {
            "en" => "Due to a technical fault at the county data centre your appointment cannot take place. ",
            "tr" => "Bilgi işlem merkezindeki teknik bir arıza nedeniyle randevunuz yapılamıyor; özür dileriz. ",
            "uk" => "Через технічний збій у районному обчислювальному центрі ваш прийом не відбудеться. ",
            "ar" => "بسبب عطل تقني في مركز البيانات لا يمكن إجراء موعدك، نعتذر عن ذلك. ",
            _ => "Wegen einer technischen Störung im Rechenzentrum des Kreises kann Ihr Termin nicht stattfinden. ",
        };
        var text = new StringBuilder();
        while (text.Length < OutageDefinitionValidator<DeclareOutageRequest>.MaxPublicMessage) text.Append(sentence);
        return text.ToString()[..OutageDefinitionValidator<DeclareOutageRequest>.MaxPublicMessage];
    }

    /// <summary>Long names and a long link by default (the hardest case); <paramref name="typical"/>: a short town, office and link.</summary>
    static MessageFacts Facts(string kind, string language, string? message, int sequence = 0, bool typical = false) => new(
        kind, language, typical ? "Stadt Velbert" : "Stadt Castrop-Rauxel", OffsetTime.Zone("Europe/Berlin"), "02305 106-0",
        typical ? "Servicebüro Mitte" : "Bürgerbüro im Rathaus Castrop-Rauxel",
        "Europaplatz 1, 44575 Castrop-Rauxel", "Personalausweis beantragen",
        DateTimeOffset.Parse("2021-10-31T09:15:00+01:00"), DateTimeOffset.Parse("2021-10-31T09:30:00+01:00"),
        message, "Ayşe Yılmaz", typical ? "https://termine.velbert.de/r/abcdefghijklmnopqrstuvwx" : Link, "CR-4711-R9", sequence);

    static IEnumerable<TestCaseData> EveryTemplateInEveryLanguage()
    {
        foreach (var language in MessageComposer.Languages)
        {
            yield return new TestCaseData(NotificationKind.Cancellation, language, LongestMessage(language)).SetName($"Sms_{language}_cancellation_longestMessageInItsLanguage");
            yield return new TestCaseData(NotificationKind.Cancellation, language, LongestMessage("de")).SetName($"Sms_{language}_cancellation_longestGermanMessage");
            yield return new TestCaseData(NotificationKind.Cancellation, language, "Technische Störung.").SetName($"Sms_{language}_cancellation_shortMessage");
            yield return new TestCaseData(NotificationKind.Reinstatement, language, null).SetName($"Sms_{language}_reinstatement");
            yield return new TestCaseData(NotificationKind.Confirmation, language, null).SetName($"Sms_{language}_confirmation");
        }
    }

    [TestCaseSource(nameof(EveryTemplateInEveryLanguage))]
    public void EverySms_FitsThreeSegments_WithTheWholeLinkDateAndTime(string kind, string language, string? message)
    {
        var facts = Facts(kind, language, message);
        var sms = MessageComposer.Sms("+491712345678", facts);
        var size = SmsSegments.Measure(sms.Text);
        TestContext.Out.WriteLine($"{language,-3} {kind,-14} {size.Encoding,-5} {size.Units,4} units {size.Segments} segments | {sms.Text}");

        Assert.That(size.Segments, Is.LessThanOrEqualTo(MessageComposer.MaxSmsSegments), sms.Text);
        Assert.That(sms.Text, Does.Contain(Link), "the link is never cut");
        Assert.That(sms.Text, Does.Contain("09:15"), "the time (local, winter time after the DST change) is never cut");
        Assert.That(sms.Text, Does.Contain("31"), "the date is never cut");
        Assert.That(sms.Text, Does.Not.Contain("Ayşe").And.Not.Contain("Personalausweis"), "no name, no service in an SMS");
    }

    /// <summary>When the messages are composed: the .ics DTSTAMP; any fixed instant.</summary>
    static readonly DateTimeOffset Composed = new(2021, 5, 6, 5, 0, 0, TimeSpan.Zero);

    [Test]
    public void AShortPublicMessage_IsCarriedWhole_InEveryLanguage()
    {
        foreach (var language in MessageComposer.Languages)
        {
            var sms = MessageComposer.Sms("+491712345678", Facts(NotificationKind.Cancellation, language, "Technische Störung im Rathaus.", typical: true));
            Assert.That(sms.Text, Does.Contain("Technische Störung im Rathaus."), language);
            Assert.That(sms.Text, Does.Not.Contain("..."), language);
        }
    }

    [Test]
    public void ALongPublicMessage_IsCutAtAWordWithDots_AndTheFixedTextIsShortenedFirst()
    {
        var sms = MessageComposer.Sms("+491712345678", Facts(NotificationKind.Cancellation, "uk", LongestMessage("uk")));
        Assert.That(sms.Text, Does.Contain("...").And.Contain("скасовано"), "the short template, then the message cut");
        Assert.That(LongestMessage("uk").Length, Is.EqualTo(OutageDefinitionValidator<DeclareOutageRequest>.MaxPublicMessage));
        Assert.That(sms.Text, Does.Not.Contain("Питання:"), "the phone line goes before the message is cut (the page has the contact)");
        var kept = sms.Text[(sms.Text.IndexOf(") скасовано. ", StringComparison.Ordinal) + ") скасовано. ".Length)..sms.Text.IndexOf("...", StringComparison.Ordinal)];
        Assert.That(LongestMessage("uk"), Does.StartWith(kept), "the kept part is the message's beginning, cut at a word");
    }

    [TestCase("de", "Ihr Termin am", "Guten Tag")]
    [TestCase("en", "your appointment on", "Dear")]
    [TestCase("tr", "randevunuz", "Sayın")]
    [TestCase("uk", "ваш прийом", "Добрий день")]
    [TestCase("ar", "موعدك", "مرحبًا")]
    public void TheSms_AndTheEmail_AreInTheBookingsLanguage(string language, string phrase, string greeting)
    {
        var sms = MessageComposer.Sms("+491712345678", Facts(NotificationKind.Cancellation, language, "x", typical: true));
        var email = MessageComposer.Email("a@example.org", Facts(NotificationKind.Cancellation, language, "x", typical: true), Composed);
        Assert.That(sms.Text, Does.Contain(phrase));
        Assert.That(email.Text, Does.StartWith(greeting).And.Contain(phrase));
        Assert.That(email.Html, Does.Contain($"lang=\"{language}\" dir=\"{(language == "ar" ? "rtl" : "ltr")}\""));
    }

    [Test]
    public void AnUnknownLanguage_GetsGerman()
    {
        var sms = MessageComposer.Sms("+491712345678", Facts(NotificationKind.Confirmation, "fa", null));
        Assert.That(sms.Text, Does.Contain("Ihr neuer Termin ist am"));
    }

    [Test]
    public void TheCalendarFileOfAChange_HasTheSameUid_AndAHigherSequence()
    {
        var first = MessageComposer.Email("a@example.org", Facts(NotificationKind.Confirmation, "tr", null, sequence: 0), Composed).Calendar!.Content;
        var changed = MessageComposer.Email("a@example.org", Facts(NotificationKind.Confirmation, "tr", null, sequence: 1), Composed).Calendar!.Content;
        static string Line(string ics, string name) => ics.Split("\r\n").Single(l => l.StartsWith(name + ":", StringComparison.Ordinal));
        Assert.That(Line(changed, "UID"), Is.EqualTo(Line(first, "UID")).And.EqualTo("UID:CR-4711-R9@rebooking"));
        Assert.That(Line(first, "SEQUENCE"), Is.EqualTo("SEQUENCE:0"));
        Assert.That(Line(changed, "SEQUENCE"), Is.EqualTo("SEQUENCE:1"));
        Assert.That(Line(changed, "DTSTART"), Is.EqualTo("DTSTART:20211031T081500Z"));
    }
}
