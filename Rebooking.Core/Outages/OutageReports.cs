using Dapper;
using Rebooking.Data;

namespace Rebooking.Outages;

/// <summary>The supervisors' figures and the hotline's call list, read from the affected bookings.</summary>
public sealed class OutageReports(Db db)
{
    public async Task<OutageStats> ForOutageAsync(Guid outageId, bool processingComplete, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return OutageFigures.Sum(await connection.QueryAsync<FigureRow>(OutageSql.OutageStats, new { OutageId = outageId }), processingComplete);
    }

    /// <summary>Sums over the tenant's outages whose window overlaps [from, to); either bound may be open.</summary>
    public async Task<OutageStats> ForTenantAsync(string tenantId, DateTimeOffset? from, DateTimeOffset? to, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var p = new { TenantId = tenantId, From = from, To = to };
        var incomplete = await connection.ExecuteScalarAsync<int>(OutageSql.TenantProcessingIncomplete, p);
        return OutageFigures.Sum(await connection.QueryAsync<FigureRow>(OutageSql.TenantStats, p), incomplete == 0);
    }

    /// <summary>
    /// The figures of each of the tenant's outages, by outage id, in one statement however many outages the
    /// tenant has. An outage with no affected booking yet is absent (its figures are zero).
    /// </summary>
    public async Task<IReadOnlyDictionary<Guid, OutageStats>> ForOutagesOfTenantAsync(IReadOnlyList<Outage> outages, CancellationToken ct = default)
    {
        if (outages.Count == 0) return new Dictionary<Guid, OutageStats>();
        await using var connection = await db.OpenAsync(ct);
        var rows = await connection.QueryAsync<FigureRow>(OutageSql.TenantOutageStats, new { TenantId = outages[0].TenantId });
        var byOutage = rows.GroupBy(r => r.OutageId).ToDictionary(g => g.Key, g => g.ToList());
        return outages.ToDictionary(o => o.Id, o => OutageFigures.Sum(byOutage.TryGetValue(o.Id, out var counts) ? counts : [], o.ProcessingComplete));
    }

    /// <summary>
    /// The region at a glance: for every tenant with an unresolved outage, how many it has and their figures
    /// summed. Two statements, whatever the number of tenants and outages.
    /// </summary>
    public async Task<IReadOnlyList<TenantFigures>> ActiveByTenantAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var outages = await connection.QueryAsync<TenantOutageCount>(OutageSql.ActiveOutagesByTenant);
        var counts = ByTenant(await connection.QueryAsync<FigureRow>(OutageSql.ActiveStatsByTenant));
        return PerTenant(outages, counts);
    }

    /// <summary>A regional incident: its tenants, each with its outage's figures. Three statements; null when there is no such incident.</summary>
    public async Task<IncidentFigures?> ForIncidentAsync(Guid incidentId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var incident = await connection.QuerySingleOrDefaultAsync<IncidentRow>(OutageSql.SelectIncident, new { IncidentId = incidentId });
        if (incident is null) return null;
        var p = new { IncidentId = incidentId };
        var outages = await connection.QueryAsync<TenantOutageCount>(OutageSql.IncidentOutagesByTenant, p);
        var counts = ByTenant(await connection.QueryAsync<FigureRow>(OutageSql.IncidentStatsByTenant, p));
        return new IncidentFigures(incidentId, incident.CreatedAt, PerTenant(outages, counts));
    }

    /// <summary>Incidents with an unresolved outage, newest first, for the overview's links.</summary>
    public async Task<IReadOnlyList<(Guid Id, DateTimeOffset CreatedAt)>> ActiveIncidentsAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<IncidentRow>(OutageSql.SelectActiveIncidents)).Select(i => (i.Id, i.CreatedAt)).ToList();
    }

    static Dictionary<string, List<FigureRow>> ByTenant(IEnumerable<FigureRow> rows) =>
        rows.GroupBy(r => r.TenantId ?? "").ToDictionary(g => g.Key, g => g.ToList());

    static List<TenantFigures> PerTenant(IEnumerable<TenantOutageCount> outages, Dictionary<string, List<FigureRow>> counts) =>
        outages.Select(o => new TenantFigures(o.TenantId, o.Outages,
            OutageFigures.Sum(counts.TryGetValue(o.TenantId, out var c) ? c : [], o.Incomplete == 0) with { ByOffice = [] })).ToList();

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

    sealed class TenantOutageCount
    {
        public string TenantId { get; init; } = "";
        public int Outages { get; init; }
        public int Incomplete { get; init; }
    }

    sealed class IncidentRow
    {
        public Guid Id { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }
}
