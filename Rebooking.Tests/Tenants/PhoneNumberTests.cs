using Rebooking.Bookings;

namespace Rebooking.Tests.Tenants;

public sealed class PhoneNumberTests
{
    [TestCase("0171 2345678", "+491712345678", PhoneKind.Mobile)]
    [TestCase("0171/2345678", "+491712345678", PhoneKind.Mobile)]
    [TestCase("(0171) 234 56 78", "+491712345678", PhoneKind.Mobile)]
    [TestCase("0171-234 56-78", "+491712345678", PhoneKind.Mobile)]
    [TestCase("+49 171 2345678", "+491712345678", PhoneKind.Mobile)]
    [TestCase("+49 (0)171 2345678", "+491712345678", PhoneKind.Mobile)]
    [TestCase("+49 0171 2345678", "+491712345678", PhoneKind.Mobile)]
    [TestCase("0049 171 2345678", "+491712345678", PhoneKind.Mobile)]
    [TestCase("01520 1234567", "+4915201234567", PhoneKind.Mobile)]
    [TestCase("0160 1234567", "+491601234567", PhoneKind.Mobile)]
    [TestCase("  0176 12345678  ", "+4917612345678", PhoneKind.Mobile)]
    [TestCase("02051 26-0", "+492051260", PhoneKind.Landline)]
    [TestCase("030 12345678", "+493012345678", PhoneKind.Landline)]
    [TestCase("+49 2305 106-0", "+4923051060", PhoneKind.Landline)]
    [TestCase("0800 1234567", "+498001234567", PhoneKind.Landline)]
    [TestCase("+43 664 1234567", "+436641234567", PhoneKind.Mobile)]
    [TestCase("+43 1 5880", "+4315880", PhoneKind.Landline)]
    [TestCase("+41 79 123 45 67", "+41791234567", PhoneKind.Mobile)]
    [TestCase("+31 6 12345678", "+31612345678", PhoneKind.Mobile)]
    [TestCase("+33 6 12 34 56 78", "+33612345678", PhoneKind.Mobile)]
    [TestCase("+33 1 23 45 67 89", "+33123456789", PhoneKind.Landline)]
    [TestCase("+90 532 123 45 67", "+905321234567", PhoneKind.Mobile)]
    [TestCase("+48 601 234 567", "+48601234567", PhoneKind.Mobile)]
    [TestCase("+48 22 123 45 67", "+48221234567", PhoneKind.Landline)]
    [TestCase("+44 7700 900123", "+447700900123", PhoneKind.Mobile)]
    [TestCase("+39 06 1234 5678", "+390612345678", PhoneKind.Landline)]
    [TestCase("+39 347 123 4567", "+393471234567", PhoneKind.Mobile)]
    [TestCase("+1 212 555 0100", "+12125550100", PhoneKind.Unknown)]
    [TestCase("+380 50 123 4567", "+380501234567", PhoneKind.Unknown)]
    public void Parse_CommonNotations_NormalisesToE164WithKind(string input, string e164, PhoneKind kind)
    {
        var phone = PhoneNumber.Parse(input, "49");
        Assert.That(phone, Is.Not.Null, input);
        Assert.That(phone!.E164, Is.EqualTo(e164));
        Assert.That(phone.Kind, Is.EqualTo(kind));
    }

    [TestCase("0664 1234567", "43", "+436641234567", PhoneKind.Mobile)]
    [TestCase("079 123 45 67", "41", "+41791234567", PhoneKind.Mobile)]
    public void Parse_NationalNumber_TakesTheTenantsCountryCode(string input, string country, string e164, PhoneKind kind)
    {
        Assert.That(PhoneNumber.Parse(input, country), Is.EqualTo(new PhoneNumber(e164, kind)));
    }

    [TestCase("keine")]
    [TestCase("0171 CALL ME")]
    [TestCase("171 2345678")]
    [TestCase("0171")]
    [TestCase("+49 171 23456789012345")]
    [TestCase("++49 171 2345678")]
    [TestCase("0171 2345678 ext. 5")]
    [TestCase("+")]
    [TestCase("00")]
    public void Parse_NotAPhoneNumber_ReturnsNull(string input)
    {
        Assert.That(PhoneNumber.Parse(input, "49"), Is.Null);
    }

    [Test]
    public void Landlines_AreKeptButAreNoSmsTarget()
    {
        Assert.That(PhoneNumber.Parse("02051 26-0", "49")!.CanReceiveSms, Is.False);
        Assert.That(PhoneNumber.Parse("0171 2345678", "49")!.CanReceiveSms, Is.True);
        Assert.That(PhoneNumber.Parse("+1 212 555 0100", "49")!.CanReceiveSms, Is.True, "unknown kinds are tried; Twilio's 21614 tells a landline");
    }
}
