using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rebooking.Api.Access;
using Rebooking.Api.Http;
using Rebooking.Outages;
using Rebooking.Tenants;

namespace Rebooking.Api.Outages;

public sealed record OutageAccepted(Guid Id, string Status);

public sealed record RegionalOutageAccepted(Guid IncidentId, IReadOnlyList<TenantOutage> Outages);

public sealed record TenantOutage(string Tenant, Guid Id);

/// <summary>An outage as staff see it: times in the tenant's zone, with its figures.</summary>
public sealed record OutageResponse(
    Guid Id, string Tenant, Guid? IncidentId, string Status, string Start, string? End, string CoveredUntil,
    IReadOnlyList<string> OfficeIds, IReadOnlyList<string> ServiceIds, IReadOnlyList<string> ExemptServiceIds,
    string Reason, string PublicMessage, bool Notify, string CreatedAt, string CreatedBy, string? ResolvedAt, OutageStats Stats);

/// <summary>
/// A row of the call list. <c>calls</c>, <c>lastCallAt</c> and <c>lastCallResult</c> (v2, voice) tell who was
/// called: the number of calls, when the last one started (with the tenant's offset, like <c>start</c>) and how it
/// ended as a code (busy, no-answer, failed, canceled, completed, lost, answered, machine, calling); 0, null and
/// null for a citizen never called.
/// </summary>
public sealed record UnreachableResponse(
    string BookingRef, string Name, string? Phone, string? Email, string Start, string OfficeId, string ServiceId, string Reason,
    int Calls, string? LastCallAt, string? LastCallResult);

public static class OutagesApi
{
    public static RouteGroupBuilder MapOutages(this RouteGroupBuilder tenant)
    {
        var group = tenant.MapGroup("").WithTags("Outages");
        group.MapPost("/outages/preview", Preview).RequireAuthorization(StaffAuth.ClerkPolicy).WithValidation();
        group.MapPost("/outages", Declare).RequireAuthorization(StaffAuth.ClerkPolicy).WithValidation();
        group.MapGet("/outages", List);
        group.MapGet("/outages/{id:guid}", Get);
        group.MapPatch("/outages/{id:guid}", Patch).RequireAuthorization(StaffAuth.ClerkPolicy).WithValidation();
        group.MapPost("/outages/{id:guid}/resolve", Resolve).RequireAuthorization(StaffAuth.ClerkPolicy).WithValidation();
        group.MapGet("/outages/{id:guid}/stats", Stats);
        group.MapGet("/outages/{id:guid}/unreachable", CallList)
            .Produces<UnreachableResponse[]>(StatusCodes.Status200OK, "application/json", "text/csv");
        group.MapGet("/stats", TenantStats);
        return group;
    }

    /// <summary><c>POST /api/outages</c>: one regional incident, one outage in each named tenant.</summary>
    public static RouteGroupBuilder MapRegionalIncidents(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/outages").WithTags("Outages").RequireAuthorization(StaffAuth.AdminPolicy);
        group.MapPost("", DeclareRegional).WithValidation();
        return group;
    }

    static async Task<Results<Ok<OutagePreview>, ValidationProblem, ProblemHttpResult>> Preview(
        string tenant, DeclareOutageRequest request, TenantStore tenants, OutageStore outages, CancellationToken ct)
    {
        if (await tenants.GetAsync(tenant, ct) is not { } data) return TenantNotFound(tenant);
        if (ScopeErrors(data, request) is { } errors) return errors;
        return TypedResults.Ok(await outages.PreviewAsync(data, request, ct));
    }

    /// <summary>202: the outage and the worker's work are stored in one transaction before this answers.</summary>
    static async Task<Results<Accepted<OutageAccepted>, ValidationProblem, ProblemHttpResult>> Declare(
        string tenant, DeclareOutageRequest request, ClaimsPrincipal user, TenantStore tenants, OutageStore outages, CancellationToken ct)
    {
        if (await tenants.GetAsync(tenant, ct) is not { } data) return TenantNotFound(tenant);
        if (ScopeErrors(data, request) is { } errors) return errors;
        var id = await outages.DeclareAsync(data, request, user.Actor(), ct);
        return TypedResults.Accepted($"/api/tenants/{tenant}/outages/{id}", new OutageAccepted(id, OutageStatus.Accepted));
    }

    static async Task<Results<Accepted<RegionalOutageAccepted>, ValidationProblem, ProblemHttpResult>> DeclareRegional(
        DeclareRegionalOutageRequest request, ClaimsPrincipal user, TenantStore tenants, OutageStore outages, CancellationToken ct)
    {
        var forbidden = request.Tenants!.Where(t => !user.MayAccessTenant(t)).ToList();
        if (forbidden.Count > 0)
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: $"Your credentials are not valid for: {string.Join(", ", forbidden)}.");
        var errors = new Dictionary<string, string[]>();
        var data = new List<TenantMasterData>();
        for (var i = 0; i < request.Tenants!.Count; i++)
        {
            if (await tenants.GetAsync(request.Tenants[i], ct) is not { } tenant)
            {
                errors[$"tenants[{i}]"] = [$"Tenant '{request.Tenants[i]}' does not exist."];
                continue;
            }
            data.Add(tenant);
            foreach (var failure in new OutageScopeValidator(tenant).Validate(request).Errors)
                errors[failure.PropertyName] = [.. errors.GetValueOrDefault(failure.PropertyName, []), failure.ErrorMessage];
        }
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        var (incidentId, created) = await outages.DeclareRegionalAsync(data, request.ForTenant(), user.Actor(), ct);
        return TypedResults.Accepted((string?)null, new RegionalOutageAccepted(incidentId, created.Select(o => new TenantOutage(o.Tenant, o.Id)).ToList()));
    }

    static async Task<Results<Ok<List<OutageResponse>>, ProblemHttpResult>> List(
        string tenant, TenantStore tenants, OutageStore outages, OutageReports reports, CancellationToken ct)
    {
        if (await tenants.GetAsync(tenant, ct) is not { } data) return TenantNotFound(tenant);
        var list = new List<OutageResponse>();
        foreach (var outage in await outages.ListAsync(tenant, ct))
            list.Add(Describe(outage, data.Tenant.Zone, await reports.ForOutageAsync(outage.Id, outage.ProcessingComplete, ct)));
        return TypedResults.Ok(list);
    }

    static async Task<Results<Ok<OutageResponse>, ProblemHttpResult>> Get(
        string tenant, Guid id, TenantStore tenants, OutageStore outages, OutageReports reports, CancellationToken ct)
    {
        if (await tenants.GetAsync(tenant, ct) is not { } data) return TenantNotFound(tenant);
        if (await outages.GetAsync(tenant, id, ct) is not { } outage) return OutageNotFound(id);
        return TypedResults.Ok(Describe(outage, data.Tenant.Zone, await reports.ForOutageAsync(id, outage.ProcessingComplete, ct)));
    }

    /// <summary>Extends or shortens (newly covered bookings are processed, those past a new end reinstated), or toggles notify.</summary>
    static async Task<Results<Ok<OutageResponse>, ValidationProblem, ProblemHttpResult>> Patch(
        string tenant, Guid id, PatchOutageRequest request, ClaimsPrincipal user, TenantStore tenants, OutageStore outages,
        OutageReports reports, CancellationToken ct)
    {
        if (await tenants.GetAsync(tenant, ct) is not { } data) return TenantNotFound(tenant);
        if (await outages.GetAsync(tenant, id, ct) is not { } outage) return OutageNotFound(id);
        if (OffsetTime.TryParse(request.End, out var end) && OutageChanges.CheckNewEnd(outage, end, request.ConfirmLongWindow == true) is { } refused)
            return Refused(refused);
        if (!await outages.PatchAsync(data, outage, request, user.Actor(), ct)) return Resolved(id);
        var changed = (await outages.GetAsync(tenant, id, ct))!;
        return TypedResults.Ok(Describe(changed, data.Tenant.Zone, await reports.ForOutageAsync(id, changed.ProcessingComplete, ct)));
    }

    /// <summary>Ends the outage at <c>at</c> (default now); bookings from then on that are still open are reinstated.</summary>
    static async Task<Results<Ok<OutageResponse>, ValidationProblem, ProblemHttpResult>> Resolve(
        string tenant, Guid id, ClaimsPrincipal user, TenantStore tenants, OutageStore outages, OutageReports reports,
        TimeProvider clock, CancellationToken ct, [FromBody] ResolveOutageRequest? request = null)
    {
        if (await tenants.GetAsync(tenant, ct) is not { } data) return TenantNotFound(tenant);
        if (await outages.GetAsync(tenant, id, ct) is not { } outage) return OutageNotFound(id);
        var (at, refused) = OutageChanges.ResolutionTime(outage, OffsetTime.TryParse(request?.At, out var given) ? given : null, clock.GetUtcNow());
        if (refused is not null) return Refused(refused);
        if (!await outages.ResolveAsync(tenant, id, at, user.Actor(), ct)) return Resolved(id);
        var resolved = (await outages.GetAsync(tenant, id, ct))!;
        return TypedResults.Ok(Describe(resolved, data.Tenant.Zone, await reports.ForOutageAsync(id, resolved.ProcessingComplete, ct)));
    }

    static async Task<Results<Ok<OutageStats>, ProblemHttpResult>> Stats(
        string tenant, Guid id, OutageStore outages, OutageReports reports, CancellationToken ct)
    {
        if (await outages.GetAsync(tenant, id, ct) is not { } outage) return OutageNotFound(id);
        return TypedResults.Ok(await reports.ForOutageAsync(id, outage.ProcessingComplete, ct));
    }

    static async Task<Results<Ok<OutageStats>, ValidationProblem>> TenantStats(
        string tenant, string? from, string? to, OutageReports reports, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        DateTimeOffset? fromAt = null, toAt = null;
        if (from is not null) { if (OffsetTime.TryParse(from, out var f)) fromAt = f; else errors["from"] = [Rebooking.Tenants.Import.Messages.NeedsOffset]; }
        if (to is not null) { if (OffsetTime.TryParse(to, out var t)) toAt = t; else errors["to"] = [Rebooking.Tenants.Import.Messages.NeedsOffset]; }
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        return TypedResults.Ok(await reports.ForTenantAsync(tenant, fromAt, toAt, ct));
    }

    /// <summary>The hotline's call list; <c>Accept: text/csv</c> gives a file Excel opens directly (UTF-8 with BOM, ';').</summary>
    static async Task<Results<Ok<List<UnreachableResponse>>, FileContentHttpResult, ProblemHttpResult>> CallList(
        string tenant, Guid id, HttpRequest http, TenantStore tenants, OutageStore outages, OutageReports reports, CancellationToken ct)
    {
        if (await tenants.GetAsync(tenant, ct) is not { } data) return TenantNotFound(tenant);
        if (await outages.GetAsync(tenant, id, ct) is null) return OutageNotFound(id);
        var zone = data.Tenant.Zone;
        var citizens = await reports.CallListAsync(id, ct);
        if (http.Headers.Accept.ToString().Contains("text/csv", StringComparison.OrdinalIgnoreCase))
            return TypedResults.File(CallListCsv.Write(citizens, zone), "text/csv; charset=utf-8", CallListCsv.FileName(tenant, id));
        return TypedResults.Ok(citizens.Select(c => new UnreachableResponse(
            c.BookingRef, c.Name, c.Phone, c.Email, OffsetTime.Format(c.Start, zone), c.OfficeId, c.ServiceId, c.Reason,
            c.Calls, c.LastCallAt is { } last ? OffsetTime.Format(last, zone) : null, c.LastCallResult)).ToList());
    }

    static OutageResponse Describe(Outage o, TimeZoneInfo zone, OutageStats stats) => new(
        o.Id, o.TenantId, o.IncidentId, o.Status, OffsetTime.Format(o.Start, zone), o.End is { } end ? OffsetTime.Format(end, zone) : null,
        OffsetTime.Format(o.CoveredUntil, zone), o.OfficeIds, o.ServiceIds, o.ExemptServiceIds, o.Reason, o.PublicMessage, o.Notify,
        OffsetTime.Format(o.CreatedAt, zone), o.CreatedBy, o.ResolvedAt is { } r ? OffsetTime.Format(r, zone) : null, stats);

    static ValidationProblem? ScopeErrors(TenantMasterData tenant, IOutageDefinition request)
    {
        var result = new OutageScopeValidator(tenant).Validate(request);
        return result.IsValid ? null : Problems.ValidationFailed(new Dictionary<string, string[]>(result.ToDictionary()));
    }

    static ValidationProblem Refused(OutageChangeError error) => Problems.ValidationFailed(new() { [error.Field] = [error.Message] });

    static ProblemHttpResult TenantNotFound(string tenant) => Problems.NotFound($"Tenant '{tenant}' does not exist.");

    static ProblemHttpResult OutageNotFound(Guid id) => Problems.NotFound($"Outage {id} does not exist in this tenant.");

    static ProblemHttpResult Resolved(Guid id) => TypedResults.Problem(statusCode: StatusCodes.Status409Conflict,
        title: "The outage is resolved", detail: $"Outage {id} is resolved and can no longer change.");
}
