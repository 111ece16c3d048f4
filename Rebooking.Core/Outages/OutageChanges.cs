namespace Rebooking.Outages;

/// <summary>Why a change to an outage was refused: the field it concerns, a stable code for translated texts, and an English message.</summary>
public sealed record OutageChangeError(string Field, string Code, string Message);

/// <summary>
/// The rules for changing an outage's window after it was declared, in one place: the API's PATCH and resolve,
/// and the console's "change end" and "resolve now" all ask here, so they cannot disagree.
/// </summary>
public static class OutageChanges
{
    public const string EndBeforeStart = "EndBeforeStart";
    public const string WindowTooLong = "WindowTooLong";
    public const string ResolveAfterEnd = "ResolveAfterEnd";

    /// <summary>
    /// Null when <paramref name="end"/> may become the outage's new end: after its start, and no more than
    /// <see cref="OutageDefinitionValidator{T}.MaxWindowDays"/> days after it unless <paramref name="confirmLongWindow"/>
    /// (the same rule as declaring).
    /// </summary>
    public static OutageChangeError? CheckNewEnd(Outage outage, DateTimeOffset end, bool confirmLongWindow)
    {
        if (end <= outage.Start)
            return new("end", EndBeforeStart, "'end' must be after the outage's start; to cancel the whole outage, resolve it at its start.");
        if (IsLongWindow(outage.Start, end) && !confirmLongWindow)
            return new("end", WindowTooLong,
                $"The window is longer than {OutageDefinitionValidator<DeclareOutageRequest>.MaxWindowDays} days; send \"confirmLongWindow\": true if that is intended.");
        return null;
    }

    /// <summary>True when [<paramref name="start"/>, <paramref name="end"/>) is longer than the days a window may have without confirmation.</summary>
    public static bool IsLongWindow(DateTimeOffset start, DateTimeOffset end) =>
        end - start > TimeSpan.FromDays(OutageDefinitionValidator<DeclareOutageRequest>.MaxWindowDays);

    /// <summary>
    /// When a resolution takes effect. An explicit <paramref name="requested"/> time after the outage's end is refused
    /// (extending is a change of end); "now" (<paramref name="requested"/> null) after the end resolves at the end.
    /// A time before the start resolves at the start: the outage is called off before it began
    /// (<see cref="Outage.CalledOffBeforeStart"/>).
    /// </summary>
    public static (DateTimeOffset At, OutageChangeError? Error) ResolutionTime(Outage outage, DateTimeOffset? requested, DateTimeOffset now)
    {
        var at = requested ?? now;
        if (outage.End is { } end && at > end)
        {
            if (requested is not null)
                return (at, new("at", ResolveAfterEnd, "'at' is after the outage's end; to extend it, PATCH its end."));
            at = end;
        }
        if (at < outage.Start) at = outage.Start;
        return (at, null);
    }
}
