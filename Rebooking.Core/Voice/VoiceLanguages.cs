using Rebooking.Notifications;

namespace Rebooking.Voice;

/// <summary>
/// The one table of who speaks which citizen language on the phone. The booking's language picks exactly as for SMS and
/// e-mail (<see cref="MessageComposer.CultureFor"/>: German, English, Turkish, Ukrainian, Arabic; anything else hears German).
/// <para>
/// The defaults are Twilio's published voice names (Twilio, "Text-to-Speech: available voices and languages",
/// https://www.twilio.com/docs/voice/twiml/say/text-speech — the list kept in TwilioDevEd/api-snippets
/// <c>voice/tts/available-voices-list.md</c>; checked 2026-12-02): <c>de-DE</c> Polly.Vicki, <c>en-GB</c> Polly.Amy,
/// <c>tr-TR</c> Polly.Filiz, <c>arb</c> (Arabic, standard) Polly.Zeina, and <c>uk-UA</c> Google.uk-UA-Standard-A, because
/// Amazon Polly has no Ukrainian voice. Third-party voices change without notice, so an operator can replace any of them
/// with <c>Voice:Voices:{language}</c> = <c>language|voice</c> (see <see cref="VoiceOptions.Voices"/>).
/// </para>
/// </summary>
public sealed class VoiceLanguages
{
    /// <summary>The voices without configuration, by citizen language (<see cref="MessageComposer.Languages"/>).</summary>
    public static readonly IReadOnlyDictionary<string, SpeakingVoice> Defaults = new Dictionary<string, SpeakingVoice>
    {
        ["de"] = new("de-DE", "Polly.Vicki"),
        ["en"] = new("en-GB", "Polly.Amy"),
        ["tr"] = new("tr-TR", "Polly.Filiz"),
        ["uk"] = new("uk-UA", "Google.uk-UA-Standard-A"),
        ["ar"] = new("arb", "Polly.Zeina"),
    };

    /// <summary>The defaults, with nothing configured.</summary>
    public static VoiceLanguages Default { get; } = new(null);

    readonly Dictionary<string, SpeakingVoice> voices;

    /// <param name="overrides"><c>Voice:Voices</c>: citizen language → <c>language|voice</c>.</param>
    /// <exception cref="ArgumentException">An override for an unknown language or in another shape (see <see cref="AreValid"/>).</exception>
    public VoiceLanguages(IReadOnlyDictionary<string, string>? overrides)
    {
        if (!AreValid(overrides)) throw new ArgumentException(InvalidMessage, nameof(overrides));
        voices = new Dictionary<string, SpeakingVoice>(Defaults);
        foreach (var (language, value) in overrides ?? new Dictionary<string, string>())
            voices[language.ToLowerInvariant()] = SpeakingVoice.TryParse(value, out var voice) ? voice : throw new ArgumentException(InvalidMessage, nameof(overrides));
    }

    /// <summary>What start-up says when <see cref="AreValid"/> is false.</summary>
    public const string InvalidMessage =
        "Voice:Voices:{language} must be 'language|voice' for a citizen language (de, en, tr, uk, ar), e.g. Voice:Voices:uk = 'uk-UA|Google.uk-UA-Wavenet-A' (a Twilio <Say> language and a Polly.* or Google.* voice).";

    /// <summary>True when every key is a citizen language (any case) and every value reads as a <see cref="SpeakingVoice"/>.</summary>
    public static bool AreValid(IReadOnlyDictionary<string, string>? overrides) =>
        overrides is null || overrides.All(o => MessageComposer.Languages.Contains(o.Key.ToLowerInvariant()) && SpeakingVoice.TryParse(o.Value, out _));

    /// <summary>The citizen language a booking's <paramref name="language"/> hears: itself when it is one of ours, else German.</summary>
    public static string LanguageOf(string? language) => MessageComposer.CultureFor(language).Name;

    /// <summary>Who speaks to a booking in <paramref name="language"/> (see <see cref="LanguageOf"/>).</summary>
    public SpeakingVoice For(string? language) => voices[LanguageOf(language)];
}
