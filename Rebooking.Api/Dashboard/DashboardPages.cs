using Microsoft.AspNetCore.Http.HttpResults;
using Rebooking.Access;
using Rebooking.Api.Access;
using Rebooking.Api.Outages;
using Rebooking.Api.StaffConsole;
using Rebooking.Outages;
using Rebooking.Tenants;

namespace Rebooking.Api.Dashboard;

/// <summary>
/// What supervisors watch: <c>/staff</c> (their tenant, or for an admin of all tenants the regional overview),
/// a tenant's outages with progress and totals, and the live fragments that staff.js swaps in every few seconds.
/// </summary>
public static class DashboardPages
{
    public static RouteGroupBuilder MapDashboard(this RouteGroupBuilder console)
    {
        var pages = console.MapGroup("").RequireAuthorization(StaffAuth.ConsoleSupervisorPolicy);
        pages.MapGet("", Home);
        pages.MapGet("/tenants/{tenant}", Tenant);
        pages.MapGet("/tenants/{tenant}/live", TenantLiveFragment);
        pages.MapGet("/outages/{id:guid}/live", OutageLiveFragment);
        return console;
    }

    static async Task<IResult> Home(HttpContext http, TenantStore tenants, OutageStore outages, OutageReports reports, CancellationToken ct)
    {
        var staff = StaffView.For(http);
        if (staff.HomeTenant is { } home) return await Tenant(home, http, tenants, outages, reports, ct);
        var visible = (await tenants.ListAsync(ct)).Where(t => http.User.MayAccessTenant(t.Id)).ToList();
        var rows = new List<TenantOverviewRow>();
        foreach (var tenant in visible)
        {
            var list = await outages.ListAsync(tenant.Id, ct);
            rows.Add(new TenantOverviewRow(tenant, list.Count(o => o.Status != OutageStatus.Resolved),
                await reports.ForTenantAsync(tenant.Id, null, null, ct)));
        }
        return ConsolePages.Render<OverviewPage>(http, rows.OrderByDescending(r => r.ActiveOutages).ThenBy(r => r.Tenant.Name).ToList());
    }

    static async Task<IResult> Tenant(string tenant, HttpContext http, TenantStore tenants, OutageStore outages, OutageReports reports, CancellationToken ct) =>
        await LoadAsync(tenant, http, tenants, outages, reports, ct) is { } model
            ? ConsolePages.Render<TenantDashboardPage>(http, model)
            : ConsolePages.Forbidden(http);

    static async Task<IResult> TenantLiveFragment(string tenant, HttpContext http, TenantStore tenants, OutageStore outages, OutageReports reports, CancellationToken ct) =>
        await LoadAsync(tenant, http, tenants, outages, reports, ct) is { } model
            ? ConsolePages.Render<TenantLive>(http, model)
            : ConsolePages.Forbidden(http);

    /// <summary>Null when the tenant does not exist or the caller may not see it (both answer 403: no probing).</summary>
    static async Task<TenantDashboard?> LoadAsync(string tenant, HttpContext http, TenantStore tenants, OutageStore outages, OutageReports reports, CancellationToken ct)
    {
        if (!http.User.MayAccessTenant(tenant) || await tenants.GetAsync(tenant, ct) is not { } data) return null;
        var rows = new List<OutageRow>();
        foreach (var outage in await outages.ListAsync(tenant, ct))
            rows.Add(new OutageRow(outage, await reports.ForOutageAsync(outage.Id, outage.ProcessingComplete, ct)));
        return new TenantDashboard(data.Tenant, await reports.ForTenantAsync(tenant, null, null, ct), rows);
    }

    static async Task<IResult> OutageLiveFragment(Guid id, HttpContext http, OutageStore outages, TenantStore tenants, OutageReports reports,
        TimeProvider clock, CancellationToken ct) =>
        await LoadLiveAsync(id, http, outages, tenants, reports, clock, ct) is { } live
            ? ConsolePages.Render<OutageLive>(http, live)
            : ConsolePages.Forbidden(http);

    /// <summary>The outage's live figures; null when it does not exist or belongs to a tenant the caller may not see.</summary>
    public static async Task<OutageLiveModel?> LoadLiveAsync(Guid id, HttpContext http, OutageStore outages, TenantStore tenants, OutageReports reports,
        TimeProvider clock, CancellationToken ct)
    {
        if (await OutagePages.OutageFor(http, id, outages, tenants, ct) is not var (outage, tenant)) return null;
        return new OutageLiveModel(outage, tenant, await reports.ForOutageAsync(id, outage.ProcessingComplete, ct),
            await reports.TimelineAsync(id, ct: ct), await reports.CallListCountAsync(id, ct), clock.GetUtcNow());
    }
}
