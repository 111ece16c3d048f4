using System.Text.RegularExpressions;

namespace Rebooking.Voice;

/// <summary>
/// How Twilio speaks one language: the <c>&lt;Say&gt;</c> element's <c>language</c> (a Twilio locale such as <c>tr-TR</c>, or
/// Polly's <c>arb</c>) and its <c>voice</c> (<c>Polly.*</c> or <c>Google.*</c>). Written in configuration as
/// <c>language|voice</c>, e.g. <c>uk-UA|Google.uk-UA-Wavenet-A</c>.
/// </summary>
public sealed partial record SpeakingVoice(string SayLanguage, string Voice)
{
    /// <summary>Reads <c>language|voice</c>; false for anything else (no guessing of a missing half).</summary>
    public static bool TryParse(string? value, out SpeakingVoice voice)
    {
        var match = value is null ? Match.Empty : Shape().Match(value.Trim());
        voice = match.Success ? new SpeakingVoice(match.Groups["language"].Value, match.Groups["voice"].Value) : new SpeakingVoice("", "");
        return match.Success;
    }

    public override string ToString() => $"{SayLanguage}|{Voice}";

    [GeneratedRegex(@"^(?<language>[a-z]{2,3}(-[A-Z]{2})?)\|(?<voice>(Polly|Google)\.[A-Za-z0-9-]+)$")]
    private static partial Regex Shape();
}
