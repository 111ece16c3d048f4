using PhoneNumbers;

namespace Rebooking.Bookings;

/// <summary>A phone number in E.164 (<c>+491712345678</c>) and what kind of line it is.</summary>
public sealed record PhoneNumber(string E164, PhoneKind Kind)
{
    static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// True for numbers an SMS is sent to: mobiles, and numbers whose kind the plan cannot tell (an SMS is tried,
    /// and Twilio's 21614 tells us if it was a landline). Fixed lines, toll-free, premium and service numbers get none.
    /// The rule is <see cref="Notifications.ChannelRule.TakesSms"/>, on the kind as stored.
    /// </summary>
    public bool CanReceiveSms => Notifications.ChannelRule.TakesSms(KindName(Kind));

    /// <summary>
    /// A stored number grouped for reading aloud and dialling by hand, in international form with the area code
    /// apart (<c>+4923054748</c> → <c>+49 2305 4748</c>), as the numbering plan of its country groups it; what
    /// cannot be read as a number comes back unchanged.
    /// </summary>
    public static string ForReading(string stored)
    {
        try
        {
            return Util.Format(Util.Parse(stored, "DE"), PhoneNumberFormat.INTERNATIONAL);
        }
        catch (NumberParseException)
        {
            return stored;
        }
    }

    /// <summary>How many leading digits of an international number (digits only, without <c>+</c>) are its country code.</summary>
    internal static int CountryCodeLength(string international)
    {
        try
        {
            return Util.Parse("+" + international, "ZZ").CountryCode.ToString(System.Globalization.CultureInfo.InvariantCulture).Length;
        }
        catch (NumberParseException)
        {
            return Math.Min(2, international.Length);
        }
    }

    /// <summary>
    /// The stored kind (<c>bookings.phone_kind</c>): what the dispatcher needs to know. <c>mobile</c>; <c>unknown</c>
    /// where an SMS is worth a try; <c>landline</c> for every number that takes no SMS.
    /// </summary>
    public static string KindName(PhoneKind kind) => kind switch
    {
        PhoneKind.Mobile => "mobile",
        PhoneKind.FixedLineOrMobile or PhoneKind.Pager or PhoneKind.Unknown => "unknown",
        _ => "landline",
    };

    /// <summary>
    /// Normalises what people type: <c>0171 2345678</c>, <c>0171/234 56 78</c>, <c>(0171) 2345678</c>,
    /// <c>+49 (0)171 2345678</c>, <c>0049 171 2345678</c>, <c>+43 664 1234567</c>. A number starting with a
    /// single 0 is national and takes <paramref name="defaultCountryCode"/> (a calling code such as <c>49</c>).
    /// Returns null for anything that is not a dialable number. libphonenumber parses and classifies; a small
    /// pre-check first refuses what it would let through: letters (vanity numbers, <c>ext.</c>), and a number
    /// without a leading <c>0</c>, <c>00</c> or <c>+</c>.
    /// </summary>
    public static PhoneNumber? Parse(string? text, string defaultCountryCode)
    {
        var dialled = PreCheck(text);
        if (dialled is null) return null;
        var region = int.TryParse(defaultCountryCode, out var code) ? Util.GetRegionCodeForCountryCode(code) : "ZZ";
        PhoneNumbers.PhoneNumber number;
        try
        {
            number = Util.Parse(dialled, dialled.StartsWith('+') ? "ZZ" : region);
        }
        catch (NumberParseException)
        {
            return null;
        }
        // Only numbers the country's plan allows: a wrong digit count or an unassigned range is refused at import.
        if (number.HasExtension || !Util.IsValidNumber(number)) return null;
        return new PhoneNumber(Util.Format(number, PhoneNumberFormat.E164), KindOf(Util.GetNumberType(number)));
    }

    /// <summary>
    /// Digits with a leading <c>+</c> (from <c>+</c> or <c>00</c>) or a national number starting with <c>0</c>;
    /// null for letters, stray symbols, a second <c>+</c>, or no prefix at all. <c>(0)</c> after an international
    /// prefix is the trunk prefix people write but do not dial; <c>+49 0171…</c> loses the stray trunk zero
    /// (Italy dials its leading zero, so not there).
    /// </summary>
    static string? PreCheck(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var trimmed = text.Trim().Replace("(0)", "", StringComparison.Ordinal);
        var digits = new System.Text.StringBuilder(trimmed.Length);
        var plus = false;
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c is >= '0' and <= '9') digits.Append(c);
            else if (c == '+' && i == 0) plus = true;
            else if (c is ' ' or '-' or '/' or '(' or ')' or '.' or '\u00A0') continue;
            else return null;
        }
        var d = digits.ToString();
        if (!plus)
        {
            if (d.StartsWith("00", StringComparison.Ordinal)) d = d[2..];
            else return d.StartsWith('0') && d.Length > 1 ? d : null;
        }
        if (d.Length < 5 || d.StartsWith('0')) return null;
        return "+" + d;
    }

    static PhoneKind KindOf(PhoneNumberType type) => type switch
    {
        PhoneNumberType.MOBILE => PhoneKind.Mobile,
        PhoneNumberType.FIXED_LINE => PhoneKind.FixedLine,
        PhoneNumberType.FIXED_LINE_OR_MOBILE => PhoneKind.FixedLineOrMobile,
        PhoneNumberType.TOLL_FREE => PhoneKind.TollFree,
        PhoneNumberType.PREMIUM_RATE => PhoneKind.PremiumRate,
        PhoneNumberType.SHARED_COST => PhoneKind.SharedCost,
        PhoneNumberType.VOIP => PhoneKind.Voip,
        PhoneNumberType.PERSONAL_NUMBER => PhoneKind.PersonalNumber,
        PhoneNumberType.PAGER => PhoneKind.Pager,
        PhoneNumberType.UAN => PhoneKind.Uan,
        PhoneNumberType.VOICEMAIL => PhoneKind.Voicemail,
        _ => PhoneKind.Unknown,
    };
}
