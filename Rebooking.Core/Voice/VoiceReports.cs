using Dapper;
using Rebooking.Data;

namespace Rebooking.Voice;

/// <summary>Calls made, answered (a person or a tape) and still to come for one outage.</summary>
public sealed record VoiceCounts(int Made, int Answered, int Pending);

/// <summary>The latest call about one affected booking, for the hotline and the call list.</summary>
public sealed class VoiceCallSummary
{
    /// <summary>queued, calling, answered, machine, unreachable or withdrawn.</summary>
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public DateTimeOffset? LastCallAt { get; init; }
    public string? LastResult { get; init; }
}

/// <summary>What staff see of the voice calls.</summary>
public sealed class VoiceReports(Db db)
{
    public async Task<VoiceCounts> CountsAsync(Guid outageId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var row = await connection.QuerySingleAsync<CountsRow>(VoiceSql.CountsForOutage, new { OutageId = outageId });
        return new VoiceCounts(row.Made, row.Answered, row.Pending);
    }

    sealed class CountsRow
    {
        public int Made { get; init; }
        public int Answered { get; init; }
        public int Pending { get; init; }
    }

    /// <summary>The latest call about <paramref name="affectedId"/> of <paramref name="tenantId"/>; null when there was none.</summary>
    public async Task<VoiceCallSummary?> LatestAsync(string tenantId, long affectedId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QueryFirstOrDefaultAsync<VoiceCallSummary>(VoiceSql.LatestForAffected, new { TenantId = tenantId, AffectedId = affectedId });
    }
}
