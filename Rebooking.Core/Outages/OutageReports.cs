using System.Data.Common;
using Dapper;
using Rebooking.Data;

namespace Rebooking.Outages;

/// <summary>The supervisors' figures and the hotline's call list, read from the affected bookings.</summary>
public sealed class OutageReports(Db db)
{
    public async Task<OutageStats> ForOutageAsync(Guid outageId, bool processingComplete, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var p = new { OutageId = outageId };
        return Compose(await connection.QuerySingleAsync<Counts>(OutageSql.OutageStats, p), processingComplete,
            await connection.QueryAsync<OfficeRow>(OutageSql.OutageStatsByOffice, p));
    }

    /// <summary>Sums over the tenant's outages whose window overlaps [from, to); either bound may be open.</summary>
    public async Task<OutageStats> ForTenantAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var p = new { TenantId = tenantId, From = from, To = to };
        var incomplete = await connection.ExecuteScalarAsync<int>(OutageSql.TenantProcessingIncomplete, p);
        return Compose(await connection.QuerySingleAsync<Counts>(OutageSql.TenantStats, p), incomplete == 0,
            await connection.QueryAsync<OfficeRow>(OutageSql.TenantStatsByOffice, p));
    }

    public async Task<IReadOnlyList<UnreachableCitizen>> CallListAsync(Guid outageId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<UnreachableCitizen>(OutageSql.CallList, new { OutageId = outageId })).ToList();
    }

    static OutageStats Compose(Counts c, bool processingComplete, IEnumerable<OfficeRow> byOffice) => new(
        c.Affected, processingComplete,
        new ContactStats(c.Notified, c.Delivered, c.Unreachable, c.Pending),
        new OutcomeStats(c.Open, c.Rebooked, c.Declined, c.Reinstated),
        byOffice.Select(o => new OfficeCount(o.OfficeId, o.Affected)).ToList());

    sealed class OfficeRow
    {
        public string OfficeId { get; init; } = "";
        public int Affected { get; init; }
    }

    sealed class Counts
    {
        public int Affected { get; init; }
        public int Notified { get; init; }
        public int Delivered { get; init; }
        public int Unreachable { get; init; }
        public int Pending { get; init; }
        public int Open { get; init; }
        public int Rebooked { get; init; }
        public int Declined { get; init; }
        public int Reinstated { get; init; }
    }
}
