using Rebooking.Bookings;

namespace Rebooking.Tests.Tenants;

public sealed class PhoneNumberTests
{
    // Germany: the notations people type.
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
    [TestCase("02051 26-0", "+492051260", PhoneKind.FixedLine)]
    [TestCase("030 12345678", "+493012345678", PhoneKind.FixedLine)]
    [TestCase("+49 2305 106-0", "+4923051060", PhoneKind.FixedLine)]
    [TestCase("0800 1234567", "+498001234567", PhoneKind.TollFree)]
    // The countries German offices hear from most, and those whose mobiles the old list did not know.
    [TestCase("+43 664 1234567", "+436641234567", PhoneKind.Mobile)]
    [TestCase("+43 1 5880", "+4315880", PhoneKind.FixedLine)]
    [TestCase("+41 79 123 45 67", "+41791234567", PhoneKind.Mobile)]
    [TestCase("+31 6 12345678", "+31612345678", PhoneKind.Mobile)]
    [TestCase("+33 6 12 34 56 78", "+33612345678", PhoneKind.Mobile)]
    [TestCase("+33 1 23 45 67 89", "+33123456789", PhoneKind.FixedLine)]
    [TestCase("+90 532 123 45 67", "+905321234567", PhoneKind.Mobile)]
    [TestCase("+48 601 234 567", "+48601234567", PhoneKind.Mobile)]
    [TestCase("+48 22 123 45 67", "+48221234567", PhoneKind.FixedLine)]
    [TestCase("+44 7911 123456", "+447911123456", PhoneKind.Mobile)]
    [TestCase("+44 800 123 4567", "+448001234567", PhoneKind.TollFree)]
    [TestCase("+39 06 1234 5678", "+390612345678", PhoneKind.FixedLine)]
    [TestCase("+39 347 123 4567", "+393471234567", PhoneKind.Mobile)]
    [TestCase("+1 202 456 1111", "+12024561111", PhoneKind.FixedLineOrMobile)]
    [TestCase("+380 50 123 4567", "+380501234567", PhoneKind.Mobile)]
    [TestCase("+963 944 567 890", "+963944567890", PhoneKind.Mobile)]
    [TestCase("+40 721 234 567", "+40721234567", PhoneKind.Mobile)]
    [TestCase("+40 21 123 4567", "+40211234567", PhoneKind.FixedLine)]
    [TestCase("+34 612 345 678", "+34612345678", PhoneKind.Mobile)]
    [TestCase("+32 470 12 34 56", "+32470123456", PhoneKind.Mobile)]
    [TestCase("+30 691 234 5678", "+306912345678", PhoneKind.Mobile)]
    [TestCase("+351 912 345 678", "+351912345678", PhoneKind.Mobile)]
    [TestCase("+420 601 123 456", "+420601123456", PhoneKind.Mobile)]
    [TestCase("+36 20 123 4567", "+36201234567", PhoneKind.Mobile)]
    [TestCase("+359 88 123 4567", "+359881234567", PhoneKind.Mobile)]
    [TestCase("+385 91 234 5678", "+385912345678", PhoneKind.Mobile)]
    [TestCase("+381 60 1234567", "+381601234567", PhoneKind.Mobile)]
    [TestCase("+46 70 123 45 67", "+46701234567", PhoneKind.Mobile)]
    [TestCase("+7 912 345 67 89", "+79123456789", PhoneKind.Mobile)]
    [TestCase("+93 70 123 4567", "+93701234567", PhoneKind.Mobile)]
    [TestCase("+964 750 123 4567", "+9647501234567", PhoneKind.Mobile)]
    public void Parse_CommonNotations_NormalisesToE164WithKind(string input, string e164, PhoneKind kind)
    {
        var phone = PhoneNumber.Parse(input, "49");
        Assert.That(phone, Is.Not.Null, input);
        Assert.That(phone!.E164, Is.EqualTo(e164));
        Assert.That(phone.Kind, Is.EqualTo(kind));
    }

    [TestCase("0664 1234567", "43", "+436641234567", PhoneKind.Mobile)]
    [TestCase("079 123 45 67", "41", "+41791234567", PhoneKind.Mobile)]
    [TestCase("0532 123 45 67", "90", "+905321234567", PhoneKind.Mobile)]
    [TestCase("06 1234 5678", "39", "+390612345678", PhoneKind.FixedLine)]
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
    [TestCase("+49 171 2345678 ext. 5")]
    [TestCase("+49 171 2345678;ext=5")]
    [TestCase("0171 2345678 x5")]
    [TestCase("0800 FLOWERS")]
    public void Parse_NotAPhoneNumber_ReturnsNull(string input)
    {
        Assert.That(PhoneNumber.Parse(input, "49"), Is.Null);
    }

    [Test]
    public void Landlines_AreKeptButAreNoSmsTarget()
    {
        Assert.That(PhoneNumber.Parse("02051 26-0", "49")!.CanReceiveSms, Is.False);
        Assert.That(PhoneNumber.Parse("0171 2345678", "49")!.CanReceiveSms, Is.True);
        Assert.That(PhoneNumber.Parse("0800 1234567", "49")!.CanReceiveSms, Is.False, "toll-free numbers take no SMS");
        Assert.That(PhoneNumber.Parse("+1 202 456 1111", "49")!.CanReceiveSms, Is.True, "where the plan cannot tell, an SMS is tried; Twilio's 21614 tells a landline");
        Assert.That(PhoneNumber.KindName(PhoneKind.FixedLineOrMobile), Is.EqualTo("unknown"));
        Assert.That(PhoneNumber.KindName(PhoneKind.TollFree), Is.EqualTo("landline"));
    }
}
