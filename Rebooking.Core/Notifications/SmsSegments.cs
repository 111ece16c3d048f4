namespace Rebooking.Notifications;

public enum SmsEncoding { Gsm7, Ucs2 }

/// <summary>How an SMS body travels: its encoding, the units it takes and the segments it is billed as.</summary>
public sealed record SmsSize(SmsEncoding Encoding, int Units, int Segments);

/// <summary>
/// Counts SMS segments the way carriers do. GSM-7: 160 septets in one segment, 153 per segment when
/// split; characters of the extension table (€ [ ] { } \ ~ ^ | and form feed) take two septets, and that
/// pair is never split across segments. German umlauts, ß, é, è, à are in the basic set. One character
/// outside GSM-7 makes the whole message UCS-2: 70 UTF-16 units in one segment, 67 when split, a
/// surrogate pair (an emoji) never split.
/// </summary>
public static class SmsSegments
{
    const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
        "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    const string Extension = "^{}\\[~]|€\f";

    static readonly HashSet<char> BasicSet = [.. Basic];
    static readonly HashSet<char> ExtensionSet = [.. Extension];

    public static bool IsGsm7(string text) => text.All(c => BasicSet.Contains(c) || ExtensionSet.Contains(c));

    public static SmsSize Measure(string text)
    {
        if (IsGsm7(text))
        {
            var units = text.Sum(c => ExtensionSet.Contains(c) ? 2 : 1);
            if (units <= 160) return new SmsSize(SmsEncoding.Gsm7, units, units == 0 ? 0 : 1);
            return new SmsSize(SmsEncoding.Gsm7, units, Split(text.Select(c => ExtensionSet.Contains(c) ? 2 : 1), 153));
        }
        if (text.Length <= 70) return new SmsSize(SmsEncoding.Ucs2, text.Length, 1);
        var widths = new List<int>();
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { widths.Add(2); i++; }
            else widths.Add(1);
        }
        return new SmsSize(SmsEncoding.Ucs2, text.Length, Split(widths, 67));
    }

    /// <summary>Fills segments of <paramref name="capacity"/> units without splitting a character.</summary>
    static int Split(IEnumerable<int> widths, int capacity)
    {
        int segments = 1, used = 0;
        foreach (var width in widths)
        {
            if (used + width > capacity) { segments++; used = 0; }
            used += width;
        }
        return segments;
    }
}
