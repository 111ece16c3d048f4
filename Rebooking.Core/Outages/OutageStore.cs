using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;
using Rebooking.Data;
using Rebooking.Operations;
using Rebooking.Notifications;
using Rebooking.Tenants;

namespace Rebooking.Outages;

/// <summary>
/// Declares, changes and reads outages. Every change is one transaction that also bumps the outage's
/// desired version, so the worker's work is recorded atomically with the change: an answered request is
/// never lost, whatever happens to the process afterwards. Once the transaction has committed, the outage is
/// handed to the <see cref="IWorkQueue"/> so a worker starts at once instead of at the next sweep.
/// </summary>
public sealed class OutageStore(Db db, Audit audit, TimeProvider clock, IOptions<OutageOptions> options, IWorkQueue? work = null,
    MessageEstimator? messages = null)
{
    readonly OutageOptions options = options.Value;
    readonly IWorkQueue work = work ?? new SweepOnlyWorkQueue();

    public async Task<Guid> DeclareAsync(TenantMasterData tenant, DeclareOutageRequest request, string actor, CancellationToken ct = default)
    {
        var id = await db.InTransactionAsync((connection, transaction) => DeclareAsync(connection, transaction, tenant, request, actor, null), ct);
        work.OutageChanged(id);
        return id;
    }

    /// <summary>One incident and one outage per tenant, all or nothing.</summary>
    public async Task<(Guid IncidentId, IReadOnlyList<(string Tenant, Guid Id)> Outages)> DeclareRegionalAsync(
        IReadOnlyList<TenantMasterData> tenants, DeclareOutageRequest request, string actor, CancellationToken ct = default)
    {
        var declared = await db.InTransactionAsync<(Guid, IReadOnlyList<(string, Guid)>)>(async (connection, transaction) =>
        {
            var incidentId = Guid.NewGuid();
            await connection.ExecuteAsync(OutageSql.InsertIncident, new { Id = incidentId, Now = clock.GetUtcNow(), Actor = actor }, transaction);
            var outages = new List<(string, Guid)>();
            foreach (var tenant in tenants)
                outages.Add((tenant.Tenant.Id, await DeclareAsync(connection, transaction, tenant, request, actor, incidentId)));
            await audit.RecordAsync(connection, transaction, actor, null, "incident.declared", incidentId.ToString(),
                string.Join(", ", tenants.Select(t => t.Tenant.Id)));
            return (incidentId, outages);
        }, ct);
        foreach (var (_, id) in declared.Item2) work.OutageChanged(id);
        return declared;
    }

    async Task<Guid> DeclareAsync(DbConnection connection, DbTransaction transaction, TenantMasterData tenant,
        DeclareOutageRequest request, string actor, Guid? incidentId)
    {
        var id = Guid.NewGuid();
        await InsertAsync(connection, transaction, id, tenant, request, actor, incidentId);
        await audit.RecordAsync(connection, transaction, actor, tenant.Tenant.Id, "outage.declared", id.ToString(),
            $"{request.Start} - {request.End ?? "open-ended"}: {request.Reason}");
        return id;
    }

    async Task InsertAsync(DbConnection connection, DbTransaction transaction, Guid id, TenantMasterData tenant,
        DeclareOutageRequest request, string actor, Guid? incidentId)
    {
        OffsetTime.TryParse(request.Start, out var start);
        DateTimeOffset? end = OffsetTime.TryParse(request.End, out var e) ? e : null;
        var now = clock.GetUtcNow();
        await connection.ExecuteAsync(OutageSql.InsertOutage, new
        {
            Id = id, TenantId = tenant.Tenant.Id, IncidentId = incidentId, Start = start, End = end,
            CoveredUntil = OutageCoverage.CoveredUntil(start, end, now, tenant.Tenant.Zone, options.RollAtLocalTime),
            Reason = request.Reason!.Trim(), PublicMessage = request.PublicMessage!.Trim(), Notify = request.Notify ?? true,
            Now = now, Actor = actor,
        }, transaction);
        var scope = (request.OfficeIds ?? []).Select(r => new { OutageId = id, Kind = "office", RefId = r })
            .Concat((request.ServiceIds ?? []).Select(r => new { OutageId = id, Kind = "service", RefId = r }))
            .Concat((request.ExemptServiceIds ?? []).Select(r => new { OutageId = id, Kind = "exempt", RefId = r }));
        foreach (var row in scope) await connection.ExecuteAsync(OutageSql.InsertScope, row, transaction);
        foreach (var (language, message) in request.PublicMessages ?? new Dictionary<string, string>())
            await connection.ExecuteAsync(OutageSql.InsertPublicMessage, new { OutageId = id, Language = language, Message = message.Trim() }, transaction);
    }

    /// <summary>
    /// Counts what the declaration would affect, with the very query the worker runs: the outage is written
    /// inside a transaction that is rolled back, so nothing is stored. With a <see cref="MessageEstimator"/> it also
    /// says what the declaration will send and what the SMS cost.
    /// </summary>
    public async Task<OutagePreview> PreviewAsync(TenantMasterData tenant, DeclareOutageRequest request, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        await using var transaction = await db.BeginAsync(connection, ct: ct);
        var id = Guid.NewGuid();
        await InsertAsync(connection, transaction, id, tenant, request, "preview", null);
        var definition = await connection.QuerySingleAsync<SyncDefinition>(OutageSql.SelectDefinition, new { OutageId = id }, transaction);
        var rows = (await connection.QueryAsync<PreviewRow>(OutageSql.PreviewCounts, new
        {
            OutageId = id, TenantId = tenant.Tenant.Id, From = definition.Start, Until = definition.CoveredUntil,
        }, transaction)).ToList();
        var recipients = messages is null ? [] : (await connection.QueryAsync<PreviewRecipients>(OutageSql.PreviewRecipients, new
        {
            OutageId = id, TenantId = tenant.Tenant.Id, From = definition.Start, Until = definition.CoveredUntil,
        }, transaction)).ToList();
        await transaction.RollbackAsync(ct);
        return new OutagePreview(
            rows.Sum(r => r.Count),
            rows.Where(r => r.Contact == "phone").Sum(r => r.Count),
            rows.Where(r => r.Contact == "email").Sum(r => r.Count),
            rows.Where(r => r.Contact == "none").Sum(r => r.Count),
            rows.GroupBy(r => r.OfficeId).OrderBy(g => g.Key).Select(g => new OfficeCount(g.Key, g.Sum(r => r.Count))).ToList(),
            rows.GroupBy(r => r.ServiceId).OrderBy(g => g.Key).Select(g => new ServiceCount(g.Key, g.Sum(r => r.Count))).ToList(),
            messages?.Estimate(tenant, request.PublicMessage, request.PublicMessages, recipients));
    }

    public async Task<Outage?> GetAsync(string tenantId, Guid id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var outage = await connection.QuerySingleOrDefaultAsync<Outage>(OutageSql.SelectOutage, new { OutageId = id, TenantId = tenantId });
        if (outage is null) return null;
        AddScope([outage], await connection.QueryAsync<ScopeRow>(OutageSql.SelectScopeOfOutage, new { OutageId = id }));
        return outage;
    }

    /// <summary>The outage whatever its tenant; callers check that the caller may see <see cref="Outage.TenantId"/>.</summary>
    public async Task<Outage?> FindAsync(Guid id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var outage = await connection.QuerySingleOrDefaultAsync<Outage>(OutageSql.SelectOutageAnyTenant, new { OutageId = id });
        if (outage is null) return null;
        AddScope([outage], await connection.QueryAsync<ScopeRow>(OutageSql.SelectScopeOfOutage, new { OutageId = id }));
        return outage;
    }

    public async Task<IReadOnlyList<Outage>> ListAsync(string tenantId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var outages = (await connection.QueryAsync<Outage>(OutageSql.SelectOutages, new { TenantId = tenantId })).ToList();
        AddScope(outages, await connection.QueryAsync<ScopeRow>(OutageSql.SelectScopeOfTenant, new { TenantId = tenantId }));
        return outages;
    }

    static void AddScope(IReadOnlyList<Outage> outages, IEnumerable<ScopeRow> scope)
    {
        var byId = outages.ToDictionary(o => o.Id);
        foreach (var row in scope)
        {
            if (!byId.TryGetValue(row.OutageId, out var outage)) continue;
            (row.Kind switch { "office" => outage.OfficeIds, "service" => outage.ServiceIds, _ => outage.ExemptServiceIds }).Add(row.RefId);
        }
    }

    /// <summary>
    /// Changes an unresolved outage: a new end (extending processes newly covered bookings, shortening
    /// reinstates those past the new end), open-ended, notify on or off, a new public message.
    /// Returns false when the outage is resolved (it can no longer change).
    /// </summary>
    public async Task<bool> PatchAsync(TenantMasterData tenant, Outage outage, PatchOutageRequest request, string actor, CancellationToken ct = default)
    {
        var changed = await db.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var key = new { OutageId = outage.Id, TenantId = tenant.Tenant.Id, Now = now };
            var changed = 0;
            if (request.End is not null || request.OpenEnded == true)
            {
                DateTimeOffset? end = OffsetTime.TryParse(request.End, out var e) ? e : null;
                changed += await connection.ExecuteAsync(OutageSql.UpdateEnd, new
                {
                    key.OutageId, key.TenantId, key.Now, End = end,
                    CoveredUntil = OutageCoverage.CoveredUntil(outage.Start, end, now, tenant.Tenant.Zone, options.RollAtLocalTime),
                }, transaction);
            }
            if (request.Notify is not null)
                changed += await connection.ExecuteAsync(OutageSql.UpdateNotify, new { key.OutageId, key.TenantId, key.Now, Notify = request.Notify.Value }, transaction);
            if (request.PublicMessage is not null)
                changed += await connection.ExecuteAsync(OutageSql.UpdatePublicMessage, new { key.OutageId, key.TenantId, key.Now, PublicMessage = request.PublicMessage.Trim() }, transaction);
            if (changed == 0) return false;
            await audit.RecordAsync(connection, transaction, actor, tenant.Tenant.Id, "outage.changed", outage.Id.ToString(),
                $"end={request.End ?? (request.OpenEnded == true ? "open-ended" : "unchanged")} notify={request.Notify?.ToString() ?? "unchanged"}");
            return true;
        }, ct);
        if (changed) work.OutageChanged(outage.Id);
        return changed;
    }

    /// <summary>Ends the outage at <paramref name="at"/>; false when it was already resolved.</summary>
    public async Task<bool> ResolveAsync(string tenantId, Guid id, DateTimeOffset at, string actor, CancellationToken ct = default)
    {
        var resolved = await db.InTransactionAsync(async (connection, transaction) =>
        {
            var resolved = await connection.ExecuteAsync(OutageSql.Resolve, new { OutageId = id, TenantId = tenantId, At = at, Now = clock.GetUtcNow() }, transaction) == 1;
            if (resolved) await audit.RecordAsync(connection, transaction, actor, tenantId, "outage.resolved", id.ToString(), $"at {at:O}");
            return resolved;
        }, ct);
        if (resolved) work.OutageChanged(id);
        return resolved;
    }

    sealed class PreviewRow
    {
        public string OfficeId { get; init; } = "";
        public string ServiceId { get; init; } = "";
        public string? PhoneKind { get; init; }
        public bool HasEmail { get; init; }
        public int Count { get; init; }

        /// <summary>How the citizens would be told with SMS and e-mail set up: "phone", "email" or "none".</summary>
        public string Contact => ChannelRule.For(PhoneKind, HasEmail, ContactChannel.Sms | ContactChannel.Email) switch
        {
            ContactChannel.Sms => "phone",
            ContactChannel.Email => "email",
            _ => "none",
        };
    }

    sealed class ScopeRow
    {
        public Guid OutageId { get; init; }
        public string Kind { get; init; } = "";
        public string RefId { get; init; } = "";
    }
}

/// <summary>What the worker needs to know to converge an outage.</summary>
internal sealed class SyncDefinition
{
    public Guid Id { get; init; }
    public string TenantId { get; init; } = "";
    public DateTimeOffset Start { get; init; }
    public DateTimeOffset CoveredUntil { get; init; }
    public bool Notify { get; init; }
}
