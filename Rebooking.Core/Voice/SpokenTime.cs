using System.Globalization;

namespace Rebooking.Voice;

/// <summary>
/// Dates, times and phone numbers as a listener understands them, in each citizen language — never "09:30", which a
/// text-to-speech voice reads digit by digit. Each language's rule is one entry of <see cref="Rules"/>: the culture whose
/// weekday and month names the date uses, the date pattern, the clock in words and the digits 0–9.
/// <list type="bullet">
/// <item>de: "Donnerstag, 6. Mai", "neun Uhr dreißig" (the text says "um").</item>
/// <item>en: "Thursday, 6 May", "nine thirty a.m." (the text says "at").</item>
/// <item>tr: "6 Mayıs Perşembe", "dokuz otuz" (the text says "saat"); 24-hour, "dokuz sıfır beş" for 09:05.</item>
/// <item>uk: "четвер, 6 травня", "о дев’ятій тридцять": the hour as a feminine ordinal after "о" ("об" before a vowel),
/// minutes as a number (feminine: "одна", "дві"); a full hour "о дев’ятій годині".</item>
/// <item>ar: "الخميس، 6 مايو", "التاسعة والنصف صباحًا" (the text says "الساعة"): the hour as a feminine ordinal on the
/// 12-hour clock with the part of the day, a quarter and a half as words, other minutes counted with "دقيقة".</item>
/// </list>
/// Languages other than these are spoken as German (<see cref="VoiceLanguages.LanguageOf"/>).
/// </summary>
public static class SpokenTime
{
    /// <summary>One language's way of speaking a date, a time and a number.</summary>
    sealed record Rules(string Culture, string DatePattern, Func<int, int, string> Clock, string[] Digits, string DigitSeparator = ", ");

    static readonly string[] GermanOnes =
    [
        "null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf",
        "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn",
    ];
    static readonly string[] GermanTens = ["", "", "zwanzig", "dreißig", "vierzig", "fünfzig"];
    static readonly string[] EnglishOnes =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
        "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];
    static readonly string[] EnglishTens = ["", "", "twenty", "thirty", "forty", "fifty"];
    static readonly string[] TurkishOnes = ["sıfır", "bir", "iki", "üç", "dört", "beş", "altı", "yedi", "sekiz", "dokuz"];
    static readonly string[] TurkishTens = ["", "on", "yirmi", "otuz", "kırk", "elli"];
    static readonly string[] UkrainianOnes =
    [
        "нуль", "один", "два", "три", "чотири", "п’ять", "шість", "сім", "вісім", "дев’ять", "десять", "одинадцять", "дванадцять",
        "тринадцять", "чотирнадцять", "п’ятнадцять", "шістнадцять", "сімнадцять", "вісімнадцять", "дев’ятнадцять",
    ];
    static readonly string[] UkrainianTens = ["", "", "двадцять", "тридцять", "сорок", "п’ятдесят"];
    /// <summary>"At the n-th (hour)": the feminine ordinal in the locative, 0–23.</summary>
    static readonly string[] UkrainianHours =
    [
        "нульовій", "першій", "другій", "третій", "четвертій", "п’ятій", "шостій", "сьомій", "восьмій", "дев’ятій", "десятій",
        "одинадцятій", "дванадцятій", "тринадцятій", "чотирнадцятій", "п’ятнадцятій", "шістнадцятій", "сімнадцятій",
        "вісімнадцятій", "дев’ятнадцятій", "двадцятій", "двадцять першій", "двадцять другій", "двадцять третій",
    ];
    static readonly string[] ArabicDigits = ["صفر", "واحد", "اثنان", "ثلاثة", "أربعة", "خمسة", "ستة", "سبعة", "ثمانية", "تسعة"];
    /// <summary>The hour on the 12-hour clock as a feminine ordinal ("the ninth" hour), index 1–12.</summary>
    static readonly string[] ArabicHours =
    [
        "", "الواحدة", "الثانية", "الثالثة", "الرابعة", "الخامسة", "السادسة", "السابعة", "الثامنة", "التاسعة", "العاشرة",
        "الحادية عشرة", "الثانية عشرة",
    ];
    /// <summary>Numbers 3–10 before a feminine noun (دقيقة), which take the form without ة.</summary>
    static readonly string[] ArabicCounts = ["", "إحدى", "اثنتان", "ثلاث", "أربع", "خمس", "ست", "سبع", "ثماني", "تسع", "عشر"];
    static readonly string[] ArabicTens = ["", "", "عشرون", "ثلاثون", "أربعون", "خمسون"];

    static readonly Dictionary<string, Rules> ByLanguage = new()
    {
        ["de"] = new("de-DE", "dddd, d. MMMM", GermanClock, GermanOnes),
        ["en"] = new("en-GB", "dddd, d MMMM", EnglishClock, EnglishOnes),
        ["tr"] = new("tr-TR", "d MMMM dddd", TurkishClock, TurkishOnes),
        ["uk"] = new("uk-UA", "dddd, d MMMM", UkrainianClock, UkrainianOnes),
        ["ar"] = new("ar", "dddd، d MMMM", ArabicClock, ArabicDigits, "، "),
    };

    static Rules For(string? language) => ByLanguage[VoiceLanguages.LanguageOf(language)];

    /// <summary>The culture whose weekday and month names <see cref="Date"/> uses for <paramref name="language"/>.</summary>
    public static CultureInfo DateCulture(string? language) => CultureInfo.GetCultureInfo(For(language).Culture);

    /// <summary>The local date with weekday and month name, e.g. "Donnerstag, 6. Mai", "6 Mayıs Perşembe".</summary>
    public static string Date(DateTimeOffset local, string? language) => local.ToString(For(language).DatePattern, DateCulture(language));

    /// <summary>The local time of day in words, as the language's <c>When</c> text continues: "neun Uhr dreißig", "nine thirty a.m.".</summary>
    public static string Time(DateTimeOffset local, string? language) => For(language).Clock(local.Hour, local.Minute);

    /// <summary>A phone number read digit by digit with a pause after each, so it can be written down.</summary>
    public static string Digits(string number, string? language)
    {
        var rules = For(language);
        return string.Join(rules.DigitSeparator, number.Where(char.IsAsciiDigit).Select(d => rules.Digits[d - '0']));
    }

    static string GermanClock(int hour, int minute)
    {
        var hours = hour == 1 ? "ein" : German(hour);
        return minute == 0 ? $"{hours} Uhr" : $"{hours} Uhr {German(minute)}";
    }

    static string German(int n) => n < 20 ? GermanOnes[n]
        : n % 10 == 0 ? GermanTens[n / 10]
        : $"{(n % 10 == 1 ? "ein" : GermanOnes[n % 10])}und{GermanTens[n / 10]}";

    static string EnglishClock(int hour, int minute)
    {
        var h12 = hour % 12 == 0 ? 12 : hour % 12;
        var suffix = hour < 12 ? "a.m." : "p.m.";
        var minutes = minute == 0 ? "" : minute < 10 ? $" oh {EnglishOnes[minute]}" : " " + English(minute);
        return $"{English(h12)}{minutes} {suffix}";
    }

    static string English(int n) => n < 20 ? EnglishOnes[n]
        : n % 10 == 0 ? EnglishTens[n / 10]
        : $"{EnglishTens[n / 10]}-{EnglishOnes[n % 10]}";

    /// <summary>24-hour clock as announcements say it: "dokuz", "dokuz otuz", "on dört on beş", "dokuz sıfır beş".</summary>
    static string TurkishClock(int hour, int minute) =>
        minute == 0 ? Turkish(hour) : minute < 10 ? $"{Turkish(hour)} sıfır {TurkishOnes[minute]}" : $"{Turkish(hour)} {Turkish(minute)}";

    static string Turkish(int n) => n < 10 ? TurkishOnes[n] : n % 10 == 0 ? TurkishTens[n / 10] : $"{TurkishTens[n / 10]} {TurkishOnes[n % 10]}";

    /// <summary>"о дев’ятій тридцять", "об одинадцятій годині", "о дев’ятій нуль п’ять".</summary>
    static string UkrainianClock(int hour, int minute)
    {
        var ordinal = UkrainianHours[hour];
        var at = "аеєиіїоуюя".Contains(ordinal[0]) ? "об" : "о";
        return minute == 0 ? $"{at} {ordinal} годині"
            : minute < 10 ? $"{at} {ordinal} нуль {UkrainianMinutes(minute)}"
            : $"{at} {ordinal} {UkrainianMinutes(minute)}";
    }

    /// <summary>Minutes agree with the feminine хвилина: одна, дві, двадцять одна.</summary>
    static string UkrainianMinutes(int n)
    {
        static string Unit(int u) => u == 1 ? "одна" : u == 2 ? "дві" : UkrainianOnes[u];
        return n < 20 ? Unit(n) : n % 10 == 0 ? UkrainianTens[n / 10] : $"{UkrainianTens[n / 10]} {Unit(n % 10)}";
    }

    /// <summary>"التاسعة صباحًا", "التاسعة والربع صباحًا", "التاسعة والنصف صباحًا", "الثالثة وخمس وأربعون دقيقة عصرًا".</summary>
    static string ArabicClock(int hour, int minute)
    {
        var h12 = hour % 12 == 0 ? 12 : hour % 12;
        var part = hour < 12 ? "صباحًا" : hour < 15 ? "ظهرًا" : hour < 18 ? "عصرًا" : "مساءً";
        var minutes = minute switch
        {
            0 => "",
            15 => " والربع",
            30 => " والنصف",
            _ => " و" + ArabicMinutes(minute),
        };
        return $"{ArabicHours[h12]}{minutes} {part}";
    }

    /// <summary>A count of minutes with the noun in the form the number asks for: دقيقة واحدة، دقيقتان، خمس دقائق، خمس عشرة دقيقة، خمس وعشرون دقيقة.</summary>
    static string ArabicMinutes(int n) => n switch
    {
        1 => "دقيقة واحدة",
        2 => "دقيقتان",
        <= 10 => $"{ArabicCounts[n]} دقائق",
        11 => "إحدى عشرة دقيقة",
        12 => "اثنتا عشرة دقيقة",
        < 20 => $"{ArabicCounts[n - 10]} عشرة دقيقة",
        _ when n % 10 == 0 => $"{ArabicTens[n / 10]} دقيقة",
        _ => $"{ArabicCounts[n % 10]} و{ArabicTens[n / 10]} دقيقة",
    };
}
