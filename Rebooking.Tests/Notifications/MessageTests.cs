using System.Text;
using System.Text.RegularExpressions;
using Rebooking.Notifications;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Notifications;

public sealed partial class MessageTests
{
    [TestCase("", SmsEncoding.Gsm7, 0, 0)]
    [TestCase("Hallo", SmsEncoding.Gsm7, 5, 1)]
    [TestCase("Größenänderung für Müller, Straße, Büro: ÄÖÜäöüß é è à", SmsEncoding.Gsm7, 54, 1)]
    [TestCase("Preis 5€ [Info] {x} \\ ~ ^ |", SmsEncoding.Gsm7, 36, 1)]
    [TestCase("Şahin", SmsEncoding.Ucs2, 5, 1)]
    [TestCase("Termin „morgen“", SmsEncoding.Ucs2, 15, 1)]
    [TestCase("Bis gleich 🙂", SmsEncoding.Ucs2, 13, 1)]
    public void Measure_EncodingAndUnits(string text, SmsEncoding encoding, int units, int segments)
    {
        Assert.That(SmsSegments.Measure(text), Is.EqualTo(new SmsSize(encoding, units, segments)));
    }

    [TestCase('a', 160, 1)]
    [TestCase('a', 161, 2)]
    [TestCase('a', 306, 2)]
    [TestCase('a', 307, 3)]
    [TestCase('ü', 160, 1)]
    [TestCase('€', 80, 1)]
    [TestCase('€', 81, 2)]
    [TestCase('ş', 70, 1)]
    [TestCase('ş', 71, 2)]
    [TestCase('ş', 134, 2)]
    [TestCase('ş', 135, 3)]
    public void Measure_SegmentBoundaries(char c, int count, int segments)
    {
        Assert.That(SmsSegments.Measure(new string(c, count)).Segments, Is.EqualTo(segments));
    }

    [Test]
    public void Measure_NeverSplitsAnEscapePairOrASurrogatePair()
    {
        // 152 plain septets then '€' (2 septets): the pair does not fit in segment 1's 153, so it opens segment 2.
        Assert.That(SmsSegments.Measure(new string('a', 152) + "€" + new string('a', 152)).Segments, Is.EqualTo(3));
        Assert.That(SmsSegments.Measure(new string('ş', 66) + "🙂" + new string('ş', 66)).Segments, Is.EqualTo(3));
    }

    [Test]
    public void GermanTypography_IsMappedToGsm7_LikeTwiliosSmartEncoding()
    {
        var text = MessageComposer.ToGsmFriendly("„Bitte“ – kommen Sie … ‘gern’ — wieder\u00A0morgen");
        Assert.That(text, Is.EqualTo("\"Bitte\" - kommen Sie ... 'gern' - wieder morgen"));
        Assert.That(SmsSegments.IsGsm7(text), Is.True);
    }

    static MessageFacts Facts(string kind, string language, string tenant = "Stadt Velbert") => new(
        kind, language, tenant, OffsetTime.Zone("Europe/Berlin"), "02051 26-0", "Servicebüro Mitte", "Thomasstraße 1, 42551 Velbert",
        "Personalausweis beantragen", DateTimeOffset.Parse("2021-05-11T09:15:00+02:00"), DateTimeOffset.Parse("2021-05-11T09:30:00+02:00"),
        "Wegen einer technischen Störung kann Ihr Termin nicht stattfinden.", "Erika Mustermann", "https://termine.velbert.de/r/abcdefghijklmnopqrstuvwx", "A-17");

    [Test]
    public void Sms_TwoSegmentsAtMost_WithLocalTime_NoNameNoService()
    {
        var sms = MessageComposer.Sms("+491712345678", Facts(NotificationKind.Cancellation, "de"));
        Assert.That(sms.Text, Does.Contain("Di 11.05. um 09:15 Uhr"));
        Assert.That(sms.Text, Does.Not.Contain("Erika").And.Not.Contain("Personalausweis"));
        Assert.That(SmsSegments.Measure(sms.Text).Segments, Is.LessThanOrEqualTo(2));
        var english = MessageComposer.Sms("+491712345678", Facts(NotificationKind.Reinstatement, "en"));
        Assert.That(english.Text, Does.Contain("Tue 11 May at 09:15").And.Contain("will take place after all"));
    }

    [Test]
    public async Task Email_ThroughRealSmtp_HasUtf8HeadersBothPartsAndACalendarFileForConfirmations()
    {
        await using var sink = await SmtpSink.StartAsync();
        var channel = new SmtpEmailChannel(new SmtpOptions { Host = "127.0.0.1", Port = sink.Port, From = "termine@velbert.de", StartTls = false });

        var outcome = await channel.SendAsync(MessageComposer.Email("erika@example.org", Facts(NotificationKind.Confirmation, "de", "Gemeinde Bösel"), DateTimeOffset.Parse("2021-05-06T07:30:00+02:00")), null, CancellationToken.None);

        Assert.That(outcome.Status, Is.EqualTo(SendStatus.Accepted));
        var raw = sink.Messages().Single();
        var lines = raw.Replace("\r", "").Split('\n');
        var subjectLines = lines.SkipWhile(l => !l.StartsWith("Subject:")).Take(1)
            .Concat(lines.SkipWhile(l => !l.StartsWith("Subject:")).Skip(1).TakeWhile(l => l.StartsWith(' ') || l.StartsWith('\t')));
        var header = string.Join(" ", subjectLines.Select(l => l.Trim()))["Subject:".Length..];
        Assert.That(EncodedWord().IsMatch(header), Is.True, "a non-ASCII subject travels as UTF-8 encoded words: " + header);
        // RFC 2047: plain words may stand between encoded ones (MailKit encodes only the words that need it);
        // white space between two adjacent encoded words is not part of the text.
        var subject = EncodedWord().Replace(Regex.Replace(header.Trim(), @"\?=\s+=\?", "?==?"), m => m.Groups[1].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
            ? Encoding.UTF8.GetString(Convert.FromBase64String(m.Groups[2].Value))
            : Encoding.UTF8.GetString(QuotedPrintable(m.Groups[2].Value)));
        Assert.That(subject, Is.EqualTo("Ihr neuer Termin am 11.05.2021 - Gemeinde Bösel"));
        Assert.That(raw, Does.Contain("multipart/alternative"));
        Assert.That(Regex.Matches(raw, "text/plain").Count, Is.EqualTo(1), "the text travels once");
        Assert.That(raw, Does.Contain("text/plain; charset=utf-8").IgnoreCase);
        Assert.That(raw, Does.Contain("text/html; charset=utf-8").IgnoreCase);
        Assert.That(raw, Does.Contain("text/calendar"));
        Assert.That(raw, Does.Contain("termin.ics"));
        var calendarPart = raw[raw.IndexOf("text/calendar", StringComparison.Ordinal)..];
        var base64 = string.Concat(calendarPart.Split('\n').SkipWhile(l => l.Trim().Length > 0).Skip(1).TakeWhile(l => !l.StartsWith("--")).Select(l => l.Trim()));
        var ics = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        Assert.That(ics, Does.Contain("DTSTAMP:20210506T053000Z"), "stamped with the caller's clock");
        Assert.That(ics, Does.Contain("DTSTART:20210511T071500Z").And.Contain("LOCATION:Servicebüro Mitte\\, Thomasstraße 1\\, 42551 Velbert"));
    }

    [Test]
    public async Task Email_SentTwiceThroughThePool_CarriesTheSameMessageIdBothTimes()
    {
        await using var sink = await SmtpSink.StartAsync();
        await using var channel = new SmtpEmailChannel(new SmtpOptions { Host = "127.0.0.1", Port = sink.Port, From = "termine@velbert.de", StartTls = false, PoolSize = 1 });
        var message = MessageComposer.Email("erika@example.org", Facts(NotificationKind.Cancellation, "de"), DateTimeOffset.Parse("2021-05-06T07:30:00+02:00"))
            with { Reference = "n42" };

        var first = await channel.SendAsync(message, null, CancellationToken.None);
        var second = await channel.SendAsync(message, null, CancellationToken.None);

        Assert.That(new[] { first.Status, second.Status }, Is.All.EqualTo(SendStatus.Accepted));
        var ids = sink.Messages().Select(m => Regex.Match(m, @"^Message-Id:\s*(\S+)", RegexOptions.Multiline | RegexOptions.IgnoreCase).Groups[1].Value.Trim()).ToList();
        Assert.That(ids, Is.EqualTo(new[] { "<n42.rebooking@velbert.de>", "<n42.rebooking@velbert.de>" }));
    }

    static byte[] QuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < text.Length; i++)
            if (text[i] == '=' && i + 2 < text.Length) { bytes.Add(Convert.ToByte(text.Substring(i + 1, 2), 16)); i += 2; }
            else bytes.Add((byte)(text[i] == '_' ? ' ' : text[i]));
        return [.. bytes];
    }

    [GeneratedRegex(@"=\?utf-8\?([BQ])\?([^?]*)\?=", RegexOptions.IgnoreCase)]
    private static partial Regex EncodedWord();
}
