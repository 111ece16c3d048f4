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
        pages.MapGet("/incidents/{id:guid}", Incident);
        return console;
    }

    /// <summary>
    /// A clerk's or supervisor's tenant; for an admin of several tenants the regional overview: every tenant with
    /// an unresolved outage and its figures, the rest counted in one line. Four statements whatever the region's size.
    /// </summary>
    static async Task<IResult> Home(HttpContext http, string? sort, TenantStore tenants, OutageStore outages, OutageReports reports, CancellationToken ct)
    {
        var staff = StaffView.For(http);
        if (staff.HomeTenant is { } home) return await Tenant(home, http, tenants, outages, reports, ct);
        var visible = (await tenants.ListAsync(ct)).Where(t => http.User.MayAccessTenant(t.Id)).ToDictionary(t => t.Id);
        var active = (await reports.ActiveByTenantAsync(ct))
            .Where(f => visible.ContainsKey(f.TenantId))
            .Select(f => new TenantOverviewRow(visible[f.TenantId], f))
            .ToList();
        var bySort = sort == OverviewModel.SortUnreachable
            ? active.OrderByDescending(r => r.Figures.Stats.Contact.Unreachable).ThenBy(r => r.Tenant.Name, StringComparer.CurrentCulture)
            : active.OrderBy(r => r.Tenant.Name, StringComparer.CurrentCulture);
        var incidents = staff.ForAllTenants ? await reports.ActiveIncidentsAsync(ct) : [];
        return ConsolePages.Render<OverviewPage>(http, new OverviewModel(
            bySort.ToList(), visible.Count - active.Count, sort == OverviewModel.SortUnreachable ? OverviewModel.SortUnreachable : OverviewModel.SortName,
            incidents));
    }

    /// <summary>A regional incident (admins of all tenants): the sum and one line per municipality.</summary>
    static async Task<IResult> Incident(Guid id, HttpContext http, TenantStore tenants, OutageReports reports, CancellationToken ct)
    {
        if (!StaffView.For(http).ForAllTenants || await reports.ForIncidentAsync(id, ct) is not { } incident) return ConsolePages.Forbidden(http);
        var names = (await tenants.ListAsync(ct)).ToDictionary(t => t.Id);
        var rows = incident.Tenants.Where(f => names.ContainsKey(f.TenantId)).Select(f => new TenantOverviewRow(names[f.TenantId], f))
            .OrderByDescending(r => r.Figures.Stats.Contact.Unreachable).ThenBy(r => r.Tenant.Name, StringComparer.CurrentCulture).ToList();
        return ConsolePages.Render<IncidentPage>(http, new IncidentModel(incident, rows, OutageStats.Sum(incident.Tenants.Select(t => t.Stats))));
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
        var list = await outages.ListAsync(tenant, ct);
        var figures = await reports.ForOutagesOfTenantAsync(list, ct);
        var rows = list.Select(o => new OutageRow(o, figures[o.Id])).ToList();
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
