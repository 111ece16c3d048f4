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
    /// <summary>The slot the citizen last heard offered; key 1 books exactly this one.</summary>
    public long? OfferedSlot { get; init; }
    /// <summary>Menus that passed without a key during this call.</summary>
    public int Silences { get; init; }
    public string? CallSid { get; init; }
}
