namespace Rebooking.Outages;

public static class OutageStatus
{
    public const string Accepted = "accepted";
    public const string Processing = "processing";
    public const string Active = "active";
    public const string Resolved = "resolved";
}

/// <summary>An outage as stored. Windows are half-open: [Start, End). Instants are UTC.</summary>
public sealed class Outage
{
    public Guid Id { get; init; }
    public string TenantId { get; init; } = "";
    public Guid? IncidentId { get; init; }
    public string Status { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    /// <summary>Null while open-ended.</summary>
    public DateTimeOffset? End { get; init; }
    /// <summary>Bookings starting before this instant are covered now (End, or the rolled day's end).</summary>
    public DateTimeOffset CoveredUntil { get; init; }
    public string Reason { get; init; } = "";
    public string PublicMessage { get; init; } = "";
    public bool Notify { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public string CreatedBy { get; init; } = "";
    public DateTimeOffset? ResolvedAt { get; init; }
    /// <summary>True when the outage was resolved at or before its start: it never took effect, and no window is shown for it.</summary>
    public bool CalledOffBeforeStart => Status == OutageStatus.Resolved && End is { } end && end <= Start;
    /// <summary>True when the worker has applied the outage's latest definition.</summary>
    public bool ProcessingComplete { get; init; }
    public List<string> OfficeIds { get; } = [];
    public List<string> ServiceIds { get; } = [];
    public List<string> ExemptServiceIds { get; } = [];
}

/// <summary>The contract's figures. Invariants: Affected = Notified + Unreachable + Pending = Open + Rebooked + Declined + Reinstated; Delivered ≤ Notified.</summary>
public sealed record OutageStats(
    int Affected, bool ProcessingComplete, ContactStats Contact, OutcomeStats Outcome, IReadOnlyList<OfficeCount> ByOffice)
{
    /// <summary>Figures added up (of several tenants, say); complete only when every part is. No offices.</summary>
    public static OutageStats Sum(IEnumerable<OutageStats> parts)
    {
        var all = parts.ToList();
        int S(Func<OutageStats, int> figure) => all.Sum(figure);
        return new OutageStats(S(p => p.Affected), all.All(p => p.ProcessingComplete),
            new ContactStats(S(p => p.Contact.Notified), S(p => p.Contact.Delivered), S(p => p.Contact.Unreachable), S(p => p.Contact.Pending)),
            new OutcomeStats(S(p => p.Outcome.Open), S(p => p.Outcome.Rebooked), S(p => p.Outcome.Declined), S(p => p.Outcome.Reinstated)), []);
    }
}

public sealed record ContactStats(int Notified, int Delivered, int Unreachable, int Pending);

public sealed record OutcomeStats(int Open, int Rebooked, int Declined, int Reinstated);

public sealed record OfficeCount(string OfficeId, int Affected);

public sealed record ServiceCount(string ServiceId, int Affected);

/// <summary>Cumulative figures of an outage at <see cref="At"/> (UTC, whole seconds).</summary>
public sealed record TimelinePoint(DateTimeOffset At, int Affected, int Notified, int Rebooked);

/// <summary>What a declaration would affect now; nothing is stored.</summary>
public sealed record OutagePreview(
    int Affected, int WithPhone, int WithEmailOnly, int WithoutContact, IReadOnlyList<OfficeCount> ByOffice, IReadOnlyList<ServiceCount> ByService,
    Notifications.MessageEstimate? Messages = null);

/// <summary>A row of the hotline's call list. <see cref="Reason"/>: no-contact or failed.</summary>
public sealed class UnreachableCitizen
{
    public string BookingRef { get; init; } = "";
    public string Name { get; init; } = "";
    public string? Phone { get; init; }
    public string? Email { get; init; }
    public DateTimeOffset Start { get; init; }
    public string OfficeId { get; init; } = "";
    public string ServiceId { get; init; } = "";
    public string Reason { get; init; } = "";

    /// <summary>Voice calls made to this citizen about the cancellation (attempts that were started); 0 when never called.</summary>
    public int Calls { get; init; }

    /// <summary>When the last of those calls started (UTC); null when never called.</summary>
    public DateTimeOffset? LastCallAt { get; init; }

    /// <summary>
    /// How the last call ended, as a code (<see cref="Voice.CallResults"/> turns it into words): busy, no-answer,
    /// failed, canceled, completed, lost, answered, machine or calling. Null when never called.
    /// </summary>
    public string? LastCallResult { get; init; }

    /// <summary>
    /// Why the hotline calls, as clerks read it: "landline-only" when no message could be sent but there is a
    /// phone (a landline), else the stored reason (no-contact: nothing at all; failed: delivery failed).
    /// </summary>
    public string Situation => Reason == "no-contact" && !string.IsNullOrWhiteSpace(Phone) ? "landline-only" : Reason;
}
