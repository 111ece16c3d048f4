using Dapper;
using Rebooking.Data;

namespace Rebooking.Outages;

/// <summary>The supervisors' figures and the hotline's call list, read from the affected bookings.</summary>
public sealed class OutageReports(Db db)
{
    public async Task<OutageStats> ForOutageAsync(Guid outageId, bool processingComplete, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return Compose(await connection.QueryAsync<Counts>(OutageSql.OutageStats, new { OutageId = outageId }), processingComplete);
    }

    /// <summary>Sums over the tenant's outages whose window overlaps [from, to); either bound may be open.</summary>
    public async Task<OutageStats> ForTenantAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var p = new { TenantId = tenantId, From = from, To = to };
        var incomplete = await connection.ExecuteScalarAsync<int>(OutageSql.TenantProcessingIncomplete, p);
        return Compose(await connection.QueryAsync<Counts>(OutageSql.TenantStats, p), incomplete == 0);
    }

    public async Task<IReadOnlyList<UnreachableCitizen>> CallListAsync(Guid outageId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<UnreachableCitizen>(OutageSql.CallList, new { OutageId = outageId })).ToList();
    }

    /// <summary>Totals are sums of the per-office rows of one statement, so they always agree with byOffice.</summary>
    static OutageStats Compose(IEnumerable<Counts> byOffice, bool processingComplete)
    {
        var offices = byOffice.ToList();
        int Sum(Func<Counts, int> figure) => offices.Sum(figure);
        return new OutageStats(
            Sum(c => c.Affected), processingComplete,
            new ContactStats(Sum(c => c.Notified), Sum(c => c.Delivered), Sum(c => c.Unreachable), Sum(c => c.Pending)),
            new OutcomeStats(Sum(c => c.Open), Sum(c => c.Rebooked), Sum(c => c.Declined), Sum(c => c.Reinstated)),
            offices.Select(o => new OfficeCount(o.OfficeId, o.Affected)).ToList());
    }

    sealed class Counts
    {
        public string OfficeId { get; init; } = "";
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
