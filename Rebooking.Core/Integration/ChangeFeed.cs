using Dapper;
using Rebooking.Data;

namespace Rebooking.Integration;

/// <summary>A page of the feed and the cursor to continue after it.</summary>
public sealed record ChangePage(IReadOnlyList<ChangeMessage> Changes, string Next);

/// <summary>
/// Reads a tenant's changes in order (<c>GET /api/tenants/{tenant}/changes</c>). The same cursor always
/// returns the same changes and none is ever skipped: see <see cref="ChangeSql.Page"/> for SQL Server.
/// </summary>
public sealed class ChangeFeed(Db db)
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    /// <summary>
    /// Up to <paramref name="limit"/> (1..<see cref="MaxLimit"/>) changes after position <paramref name="after"/>
    /// (0: from the first), oldest first; null when the tenant does not exist. <c>Next</c> is the last id
    /// returned, or the cursor given when there is nothing new yet.
    /// </summary>
    public async Task<ChangePage?> ReadAsync(string tenantId, long after, int limit, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var zone = await connection.QuerySingleOrDefaultAsync<string>(ChangeSql.TenantZone, new { TenantId = tenantId });
        if (zone is null) return null;
        var rows = (await connection.QueryAsync<BookingChange>(db.Sql(ChangeSql.Page), new { TenantId = tenantId, After = after, Limit = limit })).ToList();
        var timeZone = OffsetTime.Zone(zone);
        return new ChangePage(
            rows.Select(r => ChangeMessage.From(r, timeZone)).ToList(),
            ChangeCursor.Format(rows.Count > 0 ? rows[^1].Position : after));
    }
}
