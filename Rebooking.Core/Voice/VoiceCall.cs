namespace Rebooking.Voice;

/// <summary>One call job as Twilio's requests find it (by our id and the CallSid).</summary>
public sealed class VoiceCall
{
    public long Id { get; init; }
    public string TenantId { get; init; } = "";
    public long AffectedId { get; init; }
    /// <summary>cancellation or reinstatement.</summary>
    public string Kind { get; init; } = "";
    /// <summary>queued, calling, answered, machine, unreachable or withdrawn.</summary>
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    /// <summary>Which of the offers the citizen is hearing (0: the first).</summary>
    public int OfferIndex { get; init; }
    /// <summary>Menus in a row that got no key.</summary>
    public int Silences { get; init; }
    public string? CallSid { get; init; }
}
