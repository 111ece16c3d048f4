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

    /// <summary>How many citizens the call list has now, without reading them.</summary>
    public async Task<int> CallListCountAsync(Guid outageId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(OutageSql.CallListCount, new { OutageId = outageId });
    }

    /// <summary>
    /// The outage over time, for the dashboard's chart: cumulative affected, notified and rebooked counts at
    /// each second something happened, thinned to at most <paramref name="maxPoints"/> points (the last kept).
    /// </summary>
    public async Task<IReadOnlyList<TimelinePoint>> TimelineAsync(Guid outageId, int maxPoints = 120, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var events = (await connection.QueryAsync<TimelineEvent>(db.Sql(OutageSql.Timeline), new { OutageId = outageId })).ToList();
        var points = new List<TimelinePoint>();
        int affected = 0, notified = 0, rebooked = 0;
        foreach (var second in events.GroupBy(e => e.At).OrderBy(g => g.Key))
        {
            foreach (var e in second)
            {
                if (e.Kind == "affected") affected += e.Count;
                else if (e.Kind == "notified") notified += e.Count;
                else rebooked += e.Count;
            }
            points.Add(new TimelinePoint(second.Key, affected, notified, rebooked));
        }
        if (points.Count <= maxPoints) return points;
        var step = (double)points.Count / maxPoints;
        return Enumerable.Range(0, maxPoints).Select(i => points[Math.Min(points.Count - 1, (int)Math.Ceiling((i + 1) * step) - 1)]).ToList();
    }

    sealed class TimelineEvent
    {
        public DateTimeOffset At { get; init; }
        public string Kind { get; init; } = "";
        public int Count { get; init; }
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
