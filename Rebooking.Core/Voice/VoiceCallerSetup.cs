namespace Rebooking.Voice;

/// <summary>The configured way to place calls: Twilio when <c>Voice:Enabled</c> and <c>Twilio:VoiceFrom</c> are set, else none.</summary>
public sealed class VoiceCallerSetup(IVoiceCaller? caller)
{
    public IVoiceCaller? Caller { get; } = caller;
}
