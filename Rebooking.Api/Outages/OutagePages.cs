using Microsoft.AspNetCore.Http.HttpResults;
using Rebooking.Access;
using Rebooking.Api.Access;
using Rebooking.Api.Dashboard;
using Rebooking.Api.StaffConsole;
using Rebooking.Outages;
using Rebooking.Tenants;

namespace Rebooking.Api.Outages;

public sealed record DeclarePageModel(TenantMasterData Tenant, DeclareForm Form, IReadOnlyDictionary<string, string> Errors);

public sealed record PreviewPageModel(TenantMasterData Tenant, DeclareForm Form, OutagePreview Preview);

public sealed record OutagePageModel(OutageLiveModel Live, string? Error, Rebooking.Voice.VoiceCounts? Calls = null);

public sealed record CallListPageModel(TenantMasterData Tenant, Outage Outage, IReadOnlyList<UnreachableCitizen> Citizens);

/// <summary>
/// What happens when a clerk declares an outage in the console: the form (<c>/staff/tenants/{tenant}/outages/new</c>),
/// the preview with the counts the worker would find, the confirmation (the same <see cref="OutageStore.DeclareAsync"/>
/// as the API), then the outage's page <c>/staff/outages/{id}</c> with live figures, changing its end, resolving it,
/// and the call list for the hotline (HTML for printing, CSV for Excel). Supervisors see everything and change nothing.
/// </summary>
public static class OutagePages
{
    public static RouteGroupBuilder MapOutagePages(this RouteGroupBuilder console)
    {
        var read = console.MapGroup("").RequireAuthorization(StaffAuth.ConsoleSupervisorPolicy);
        read.MapGet("/outages/{id:guid}", Show);
        read.MapGet("/outages/{id:guid}/calls", CallList);
        read.MapGet("/outages/{id:guid}/calls.csv", CallListCsvFile);

        var change = console.MapGroup("").RequireAuthorization(StaffAuth.ConsoleClerkPolicy);
        change.MapGet("/tenants/{tenant}/outages/new", New);
        change.MapPost("/tenants/{tenant}/outages/preview", Preview);
        change.MapPost("/tenants/{tenant}/outages", Declare);
        change.MapPost("/outages/{id:guid}/end", ChangeEnd);
        change.MapPost("/outages/{id:guid}/resolve", Resolve);
        return console;
    }

    static async Task<IResult> New(string tenant, HttpContext http, TenantStore tenants, TimeProvider clock, CancellationToken ct)
    {
        if (await TenantFor(http, tenant, tenants, ct) is not { } data) return ConsolePages.Forbidden(http);
        return ConsolePages.Render<DeclarePage>(http, new DeclarePageModel(data, DeclareForm.Default(clock.GetUtcNow(), data.Tenant.Zone), new Dictionary<string, string>()));
    }

    /// <summary>Runs the worker's own selection in a rolled-back transaction; nothing is stored.</summary>
    static async Task<IResult> Preview(string tenant, HttpContext http, IFormCollection form, TenantStore tenants, OutageStore outages, CancellationToken ct)
    {
        if (await TenantFor(http, tenant, tenants, ct) is not { } data) return ConsolePages.Forbidden(http);
        var input = DeclareForm.From(form);
        var (request, errors) = input.ToRequest(data, StaffView.For(http));
        if (request is null) return ConsolePages.Render<DeclarePage>(http, new DeclarePageModel(data, input, errors), StatusCodes.Status400BadRequest);
        if (form["change"] == "true") return ConsolePages.Render<DeclarePage>(http, new DeclarePageModel(data, input, errors));
        return ConsolePages.Render<PreviewPage>(http, new PreviewPageModel(data, input, await outages.PreviewAsync(data, request, ct)));
    }

    static async Task<IResult> Declare(string tenant, HttpContext http, IFormCollection form, TenantStore tenants, OutageStore outages, CancellationToken ct)
    {
        if (await TenantFor(http, tenant, tenants, ct) is not { } data) return ConsolePages.Forbidden(http);
        var input = DeclareForm.From(form);
        var (request, errors) = input.ToRequest(data, StaffView.For(http));
        if (request is null) return ConsolePages.Render<DeclarePage>(http, new DeclarePageModel(data, input, errors), StatusCodes.Status400BadRequest);
        var id = await outages.DeclareAsync(data, request, http.User.Actor(), ct);
        return Results.Redirect($"/staff/outages/{id}");
    }

    static async Task<IResult> Show(Guid id, HttpContext http, OutageStore outages, TenantStore tenants, OutageReports reports, TimeProvider clock, CancellationToken ct) =>
        await PageAsync(id, http, outages, tenants, reports, clock, null, StatusCodes.Status200OK, ct);

    static async Task<IResult> PageAsync(Guid id, HttpContext http, OutageStore outages, TenantStore tenants, OutageReports reports, TimeProvider clock,
        string? error, int status, CancellationToken ct)
    {
        if (await DashboardPages.LoadLiveAsync(id, http, outages, tenants, reports, clock, ct) is not { } live) return ConsolePages.Forbidden(http);
        var calls = await http.RequestServices.GetRequiredService<Rebooking.Voice.VoiceReports>().CountsAsync(id, ct);
        return ConsolePages.Render<OutagePage>(http, new OutagePageModel(live, error, calls), status);
    }

    /// <summary>A new end (extend or shorten) or "until further notice" (open-ended, rolled daily).</summary>
    static async Task<IResult> ChangeEnd(Guid id, HttpContext http, IFormCollection form, OutageStore outages, TenantStore tenants, OutageReports reports,
        TimeProvider clock, CancellationToken ct)
    {
        if (await OutageFor(http, id, outages, tenants, ct) is not var (outage, data)) return ConsolePages.Forbidden(http);
        var staff = StaffView.For(http);
        PatchOutageRequest request;
        if (form["openEnded"] == "true") request = new PatchOutageRequest(null, true, null, null);
        else
        {
            var text = form["end"].ToString();
            DateTimeOffset? end = LocalTime.TryParseInput(text, out var local) ? LocalTime.ToInstant(local, data.Tenant.Zone) : null;
            if (end is null) return await PageAsync(id, http, outages, tenants, reports, clock, staff.T("ErrTimeInvalid"), StatusCodes.Status400BadRequest, ct);
            if (OutageChanges.CheckNewEnd(outage, end.Value, form["confirmLongWindow"] == "true") is { } refused)
                return await PageAsync(id, http, outages, tenants, reports, clock, ChangeError(staff, refused), StatusCodes.Status400BadRequest, ct);
            request = new PatchOutageRequest(OffsetTime.Format(end.Value, data.Tenant.Zone), null, null, null, form["confirmLongWindow"] == "true");
        }
        if (!await outages.PatchAsync(data, outage, request, http.User.Actor(), ct))
            return await PageAsync(id, http, outages, tenants, reports, clock, staff.T("ErrResolved"), StatusCodes.Status409Conflict, ct);
        return Results.Redirect($"/staff/outages/{id}");
    }

    static string ChangeError(StaffView staff, OutageChangeError error) => error.Code switch
    {
        OutageChanges.EndBeforeStart => staff.T("ErrEndBeforeStart"),
        OutageChanges.WindowTooLong => staff.T("ErrWindowNeedsConfirmation", OutageDefinitionValidator<DeclareOutageRequest>.MaxWindowDays),
        _ => error.Message,
    };

    /// <summary>Ends the outage now: bookings from now on that are still open become valid again.</summary>
    static async Task<IResult> Resolve(Guid id, HttpContext http, OutageStore outages, TenantStore tenants, OutageReports reports, TimeProvider clock, CancellationToken ct)
    {
        if (await OutageFor(http, id, outages, tenants, ct) is not var (outage, _)) return ConsolePages.Forbidden(http);
        var (at, _) = OutageChanges.ResolutionTime(outage, requested: null, clock.GetUtcNow());
        if (!await outages.ResolveAsync(outage.TenantId, id, at, http.User.Actor(), ct))
            return await PageAsync(id, http, outages, tenants, reports, clock, StaffView.For(http).T("ErrResolved"), StatusCodes.Status409Conflict, ct);
        return Results.Redirect($"/staff/outages/{id}");
    }

    static async Task<IResult> CallList(Guid id, HttpContext http, OutageStore outages, TenantStore tenants, OutageReports reports, CancellationToken ct)
    {
        if (await OutageFor(http, id, outages, tenants, ct) is not var (outage, data)) return ConsolePages.Forbidden(http);
        return ConsolePages.Render<CallListPage>(http, new CallListPageModel(data, outage, await reports.CallListAsync(id, ct)));
    }

    static async Task<IResult> CallListCsvFile(Guid id, HttpContext http, OutageStore outages, TenantStore tenants, OutageReports reports, CancellationToken ct)
    {
        if (await OutageFor(http, id, outages, tenants, ct) is not var (outage, data)) return ConsolePages.Forbidden(http);
        return TypedResults.File(CallListCsv.Write(await reports.CallListAsync(id, ct), data.Tenant.Zone), "text/csv; charset=utf-8",
            CallListCsv.FileName(outage.TenantId, id));
    }

    /// <summary>The outage with its tenant's master data when the caller may see that tenant; null otherwise (answered with 403).</summary>
    internal static async Task<(Outage Outage, TenantMasterData Tenant)?> OutageFor(HttpContext http, Guid id, OutageStore outages, TenantStore tenants, CancellationToken ct) =>
        await outages.FindAsync(id, ct) is { } outage && await TenantFor(http, outage.TenantId, tenants, ct) is { } tenant ? (outage, tenant) : null;

    /// <summary>The tenant's master data when the caller may act for it; null otherwise (answered with 403).</summary>
    internal static async Task<TenantMasterData?> TenantFor(HttpContext http, string tenant, TenantStore tenants, CancellationToken ct) =>
        http.User.MayAccessTenant(tenant) ? await tenants.GetAsync(tenant, ct) : null;
}
