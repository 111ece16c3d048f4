using System.Data;
using Dapper;
using Rebooking.Data;

namespace Rebooking.Tenants;

/// <summary>Reads and replaces tenants' master data.</summary>
public sealed class TenantStore(Db db, Audit audit, TimeProvider clock)
{
    public async Task<TenantMasterData?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var tenant = await connection.QuerySingleOrDefaultAsync<Tenant>(TenantSql.SelectTenant, new { Id = id });
        if (tenant is null) return null;
        var offices = (await connection.QueryAsync<OfficeRow>(TenantSql.SelectOffices, new { Id = id })).Select(o => o.ToOffice()).ToList();
        var services = (await connection.QueryAsync<ServiceRow>(TenantSql.SelectServices, new { Id = id })).Select(s => s.ToService()).ToList();
        return new TenantMasterData(tenant, offices, services);
    }

    public async Task<IReadOnlyList<Tenant>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Tenant>(TenantSql.SelectTenants)).ToList();
    }

    public async Task<bool> AnyAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.ExecuteScalarAsync<int>(TenantSql.CountTenants) > 0;
    }

    /// <summary>
    /// Creates or replaces the tenant from a validated request in one transaction. Returns true when the
    /// tenant was created. Offices and services not in the request are retired (kept for history).
    /// </summary>
    public Task<bool> PutAsync(string id, PutTenantRequest request, string actor, CancellationToken ct = default) =>
        db.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var row = new
            {
                Id = id,
                Name = request.Name!.Trim(),
                TimeZone = request.TimeZone!,
                DefaultCountryCode = request.DefaultCountryCode!,
                ContactPhone = NullIfEmpty(request.Contact?.Phone),
                ContactEmail = NullIfEmpty(request.Contact?.Email),
                ContactWeb = NullIfEmpty(request.Contact?.Web),
                Now = now,
            };
            var created = await connection.ExecuteAsync(TenantSql.UpdateTenant, row, transaction) == 0;
            if (created) await connection.ExecuteAsync(TenantSql.InsertTenant, row, transaction);

            await connection.ExecuteAsync(TenantSql.RetireOffices, new { TenantId = id }, transaction);
            foreach (var office in request.Offices!)
            {
                var o = new { TenantId = id, office.Id, Name = office.Name!.Trim(), Address = NullIfEmpty(office.Address) };
                if (await connection.ExecuteAsync(TenantSql.UpdateOffice, o, transaction) == 0)
                    await connection.ExecuteAsync(TenantSql.InsertOffice, o, transaction);
            }

            await connection.ExecuteAsync(TenantSql.RetireServices, new { TenantId = id }, transaction);
            foreach (var service in request.Services!)
            {
                var s = new { TenantId = id, service.Id, Name = service.Name!.Trim(), service.DurationMinutes };
                if (await connection.ExecuteAsync(TenantSql.UpdateService, s, transaction) == 0)
                    await connection.ExecuteAsync(TenantSql.InsertService, s, transaction);
            }

            await audit.RecordAsync(connection, transaction, actor, id, created ? "tenant.created" : "tenant.replaced", id,
                $"{request.Offices!.Count} offices, {request.Services!.Count} services");
            return created;
        }, ct, IsolationLevel.Serializable);

    static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    // Read through properties: Dapper converts SQLite's integers and SQL Server's bit alike.
    sealed class OfficeRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public string? Address { get; init; }
        public bool Active { get; init; }
        public Office ToOffice() => new(Id, Name, Address, Active);
    }

    sealed class ServiceRow
    {
        public string Id { get; init; } = "";
        public string Name { get; init; } = "";
        public int DurationMinutes { get; init; }
        public bool Active { get; init; }
        public Service ToService() => new(Id, Name, DurationMinutes, Active);
    }
}
