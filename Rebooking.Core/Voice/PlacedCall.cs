namespace Rebooking.Voice;

/// <summary>A call Twilio has for a number: its CallSid and Twilio's status (queued, ringing, in-progress, completed, busy, no-answer, failed, canceled).</summary>
public sealed record PlacedCall(string Sid, string Status);
