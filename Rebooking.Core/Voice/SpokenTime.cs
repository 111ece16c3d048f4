using System.Globalization;

namespace Rebooking.Voice;

/// <summary>
/// Dates and times as a listener understands them: "Donnerstag, 6. Mai" and "um neun Uhr dreißig", or
/// "Thursday, 6 May" and "at nine thirty a.m." — never "09:30", which a text-to-speech voice reads digit by digit.
/// </summary>
public static class SpokenTime
{
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

    /// <summary>The local date, e.g. "Donnerstag, 6. Mai".</summary>
    public static string Date(DateTimeOffset local, bool english) =>
        english ? local.ToString("dddd, d MMMM", CultureInfo.GetCultureInfo("en-GB"))
                : local.ToString("dddd, d. MMMM", CultureInfo.GetCultureInfo("de-DE"));

    /// <summary>The local time of day in words, without "um"/"at": "neun Uhr dreißig", "nine thirty a.m.".</summary>
    public static string Time(DateTimeOffset local, bool english)
    {
        int hour = local.Hour, minute = local.Minute;
        if (english)
        {
            var h12 = hour % 12 == 0 ? 12 : hour % 12;
            var suffix = hour < 12 ? "a.m." : "p.m.";
            var minutes = minute == 0 ? "" : minute < 10 ? $" oh {EnglishOnes[minute]}" : " " + English(minute);
            return $"{English(h12)}{minutes} {suffix}";
        }
        var hours = hour == 1 ? "ein" : German(hour);
        return minute == 0 ? $"{hours} Uhr" : $"{hours} Uhr {German(minute)}";
    }

    /// <summary>A phone number read digit by digit with a pause after each, so it can be written down.</summary>
    public static string Digits(string number, bool english) =>
        string.Join(", ", number.Where(char.IsAsciiDigit).Select(d => english ? EnglishOnes[d - '0'] : GermanOnes[d - '0']));

    static string German(int n) => n < 20 ? GermanOnes[n]
        : n % 10 == 0 ? GermanTens[n / 10]
        : $"{(n % 10 == 1 ? "ein" : GermanOnes[n % 10])}und{GermanTens[n / 10]}";

    static string English(int n) => n < 20 ? EnglishOnes[n]
        : n % 10 == 0 ? EnglishTens[n / 10]
        : $"{EnglishTens[n / 10]}-{EnglishOnes[n % 10]}";
}
