using System.Globalization;
using System.Resources;

namespace Rebooking.Voice;

/// <summary>
/// How a voice call ended, in the words a clerk reads on the call list (page and CSV), German first
/// (<c>CallResultTexts.resx</c>), English for the English console. The codes are those the call list reads from
/// <c>voice_calls</c>: Twilio's final statuses (busy, no-answer, failed, canceled, completed), <c>lost</c> (no
/// final status came), and the call's own state when someone picked up or it is ringing (answered, machine, calling).
/// </summary>
public static class CallResults
{
    static readonly ResourceManager Texts = new("Rebooking.Voice.CallResultTexts", typeof(CallResults).Assembly);
    static readonly CultureInfo German = CultureInfo.GetCultureInfo("de-DE");

    /// <summary>The words for <paramref name="code"/> in <paramref name="culture"/> (German when null); an unknown code as it is, null as "".</summary>
    public static string Words(string? code, CultureInfo? culture = null) =>
        code is null ? "" : Texts.GetString(code, culture ?? German) ?? code;
}
