namespace Rebooking.Bookings;

/// <summary>Whether a number can receive SMS. <c>Unknown</c>: a country whose mobile ranges we do not know.</summary>
public enum PhoneKind { Mobile, Landline, Unknown }

/// <summary>A phone number in E.164 (<c>+491712345678</c>) and what kind of line it is.</summary>
public sealed record PhoneNumber(string E164, PhoneKind Kind)
{
    /// <summary>True for numbers an SMS is sent to: mobiles, and numbers of countries we cannot classify.</summary>
    public bool CanReceiveSms => Kind != PhoneKind.Landline;

    /// <summary>The same rule for a stored kind (<c>phone_kind</c>: mobile, landline, unknown or null for no phone).</summary>
    public static bool CanReceiveSmsKind(string? storedKind) => storedKind is "mobile" or "unknown";

    /// <summary>
    /// A stored number grouped for reading aloud and dialling by hand, in international form with the area code
    /// apart (<c>+4923054748</c> → <c>+49 2305 4748</c>), as the numbering plan of its country groups it; what
    /// cannot be read as a number comes back unchanged.
    /// </summary>
    public static string ForReading(string stored)
    {
        var util = PhoneNumbers.PhoneNumberUtil.GetInstance();
        try
        {
            return util.Format(util.Parse(stored, "DE"), PhoneNumbers.PhoneNumberFormat.INTERNATIONAL);
        }
        catch (PhoneNumbers.NumberParseException)
        {
            return stored;
        }
    }

    public static string KindName(PhoneKind kind) => kind switch
    {
        PhoneKind.Mobile => "mobile",
        PhoneKind.Landline => "landline",
        _ => "unknown",
    };


    /// <summary>
    /// Normalises what people type: <c>0171 2345678</c>, <c>0171/234 56 78</c>, <c>(0171) 2345678</c>,
    /// <c>+49 (0)171 2345678</c>, <c>0049 171 2345678</c>, <c>+43 664 1234567</c>. A number starting with a
    /// single 0 is national and takes <paramref name="defaultCountryCode"/>. Returns null for anything that
    /// is not a dialable number (letters, too few or too many digits, no leading 0 or +).
    /// </summary>
    public static PhoneNumber? Parse(string? text, string defaultCountryCode)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var digits = new System.Text.StringBuilder(text.Length);
        var plus = false;
        var trimmed = text.Trim();
        // "(0)" after an international prefix is the national trunk prefix people write but do not dial.
        trimmed = trimmed.Replace("(0)", "", StringComparison.Ordinal);
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c is >= '0' and <= '9') digits.Append(c);
            else if (c == '+' && i == 0) plus = true;
            else if (c is ' ' or '-' or '/' or '(' or ')' or '.' or '\u00A0') continue;
            else return null;
        }
        var d = digits.ToString();
        string international;
        if (plus) international = d;
        else if (d.StartsWith("00", StringComparison.Ordinal)) international = d[2..];
        else if (d.StartsWith('0')) international = defaultCountryCode + d[1..];
        else return null;

        if (international.Length < 5 || international.StartsWith('0')) return null;
        var country = CountryOf(international);
        var national = international[country.Code.Length..];
        // "+49 0171 ..." keeps the trunk zero by mistake; drop it. Italy is the exception that dials it.
        if (national.StartsWith('0') && country.Code != "39") national = national[1..];
        if (national.Length < country.MinNational || national.Length > country.MaxNational) return null;
        if (country.Code.Length + national.Length > 15) return null;
        return new PhoneNumber("+" + country.Code + national, country.Classify(national));
    }

    sealed record Country(string Code, int MinNational, int MaxNational, Func<string, PhoneKind> Classify);

    static PhoneKind MobileIf(bool isMobile) => isMobile ? PhoneKind.Mobile : PhoneKind.Landline;

    static readonly HashSet<string> PolishMobile = ["45", "50", "51", "53", "57", "60", "66", "69", "72", "73", "78", "79", "88"];

    // Mobile ranges of Germany and of the countries most German offices hear from. Other countries are
    // accepted by length and classed Unknown: an SMS is tried, and Twilio's 21614 tells us if it was a landline.
    static readonly Country[] Known =
    [
        new("49", 6, 13, n => MobileIf(n.StartsWith("15") || n.StartsWith("16") || n.StartsWith("17"))),
        new("43", 4, 13, n => MobileIf(n.Length >= 10 && n[0] == '6' && n[1] is '5' or '6' or '7' or '8' or '9')),
        new("41", 9, 9, n => MobileIf(n.StartsWith("7") && n[1] is '5' or '6' or '7' or '8' or '9')),
        new("31", 9, 9, n => MobileIf(n.StartsWith("6") && !n.StartsWith("66"))),
        new("33", 9, 9, n => MobileIf(n[0] is '6' or '7')),
        new("39", 6, 11, n => MobileIf(n.StartsWith('3'))),
        new("44", 9, 10, n => MobileIf(n.StartsWith("7") && !n.StartsWith("70") && !n.StartsWith("76"))),
        new("48", 9, 9, n => MobileIf(PolishMobile.Contains(n[..2]))),
        new("90", 10, 10, n => MobileIf(n.StartsWith("5"))),
        new("34", 9, 9, n => MobileIf(n[0] is '6' or '7')),
        new("32", 8, 9, n => MobileIf(n.Length == 9 && n.StartsWith("4"))),
        new("45", 8, 8, _ => PhoneKind.Unknown),
        new("1", 10, 10, _ => PhoneKind.Unknown),
    ];

    static Country CountryOf(string international)
    {
        foreach (var c in Known)
            if (international.StartsWith(c.Code, StringComparison.Ordinal)) return c;
        var length = CountryCodeLength(international);
        return new Country(international[..Math.Min(length, international.Length)], 4, 14 - length, _ => PhoneKind.Unknown);
    }

    // Country codes by first digit: 1 and 7 are one digit; 2x, 3x, 4x, 5x, 6x, 8x, 9x are two or three
    // digits. The two-digit ones listed here; everything else in those zones is three digits.
    static readonly HashSet<string> TwoDigitCodes =
    [
        "20", "27", "30", "31", "32", "33", "34", "36", "39", "40", "41", "43", "44", "45", "46", "47", "48", "49",
        "51", "52", "53", "54", "55", "56", "57", "58", "60", "61", "62", "63", "64", "65", "66",
        "81", "82", "84", "86", "90", "91", "92", "93", "94", "95", "98",
    ];

    /// <summary>How many leading digits of an international number (without +) are its country code.</summary>
    internal static int CountryCodeLength(string international) =>
        international[0] is '1' or '7' ? 1 : TwoDigitCodes.Contains(international[..2]) ? 2 : 3;
}
