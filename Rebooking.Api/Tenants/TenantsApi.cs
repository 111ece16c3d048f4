using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Rebooking.Api.Access;
using Rebooking.Api.Http;
using Rebooking.Api.Integration;
using Rebooking.Tenants;
using Rebooking.Tenants.Import;

namespace Rebooking.Api.Tenants;

public sealed record TenantResponse(
    string Id, string Name, string TimeZone, string DefaultCountryCode, ContactResponse Contact,
    IReadOnlyList<OfficeResponse> Offices, IReadOnlyList<ServiceResponse> Services)
{
    public static TenantResponse From(TenantMasterData data) => new(
        data.Tenant.Id, data.Tenant.Name, data.Tenant.TimeZone, data.Tenant.DefaultCountryCode,
        new ContactResponse(data.Tenant.ContactPhone, data.Tenant.ContactEmail, data.Tenant.ContactWeb),
        data.Offices.Select(o => new OfficeResponse(o.Id, o.Name, o.Address, o.Active)).ToList(),
        data.Services.Select(s => new ServiceResponse(s.Id, s.Name, s.DurationMinutes, s.Active)).ToList());
}

public sealed record ContactResponse(string? Phone, string? Email, string? Web);
public sealed record OfficeResponse(string Id, string Name, string? Address, bool Active);
public sealed record ServiceResponse(string Id, string Name, int DurationMinutes, bool Active);

public static class TenantsApi
{
    /// <summary>
    /// The root of every tenant's routes, <c>/api/tenants/{tenant}</c>: authenticated staff only, and the
    /// <see cref="TenantAccessFilter"/> keeps each key and token to its own tenant.
    /// </summary>
    public static RouteGroupBuilder MapTenantScope(this IEndpointRouteBuilder api) =>
        api.MapGroup("/tenants/{tenant:regex(^[a-z0-9][a-z0-9-]{{1,62}}$)}")
            .RequireAuthorization(StaffAuth.SupervisorPolicy)
            .AddEndpointFilter<TenantAccessFilter>();

    public static RouteGroupBuilder MapTenants(this RouteGroupBuilder tenant)
    {
        var group = tenant.MapGroup("").WithTags("Tenants");
        group.MapGet("", GetTenant);
        group.MapPut("", PutTenant).RequireAuthorization(StaffAuth.AdminPolicy).WithValidation();
        group.MapPost("/slots/import", ImportSlots).RequireAuthorization(StaffAuth.AdminPolicy).AllowIntegration()
            .Accepts<SlotImportRow[]>("application/json", "text/csv");
        group.MapPost("/bookings/import", ImportBookings).RequireAuthorization(StaffAuth.AdminPolicy).AllowIntegration()
            .Accepts<BookingImportRow[]>("application/json", "text/csv");
        return group;
    }

    static async Task<Results<Ok<TenantResponse>, ProblemHttpResult>> GetTenant(string tenant, TenantStore tenants, CancellationToken ct) =>
        await tenants.GetAsync(tenant, ct) is { } data
            ? TypedResults.Ok(TenantResponse.From(data))
            : Problems.NotFound($"Tenant '{tenant}' does not exist.");

    /// <summary>Creates (201) or replaces (200) the tenant's master data; offices and services left out are retired.</summary>
    static async Task<Results<Created<TenantResponse>, Ok<TenantResponse>, ValidationProblem>> PutTenant(
        string tenant, PutTenantRequest request, ClaimsPrincipal user, TenantStore tenants, CancellationToken ct)
    {
        var created = await tenants.PutAsync(tenant, request, user.Actor(), ct);
        var response = TenantResponse.From((await tenants.GetAsync(tenant, ct))!);
        return created ? TypedResults.Created($"/api/tenants/{tenant}", response) : TypedResults.Ok(response);
    }

    static Task<Results<Ok<ImportResult>, ProblemHttpResult, ValidationProblem>> ImportSlots(
        string tenant, HttpRequest request, TenantStore tenants, SlotImport import, CancellationToken ct) =>
        Import(tenant, request, tenants, (data, rows) => import.ImportAsync(data, rows, ct), ct);

    static Task<Results<Ok<ImportResult>, ProblemHttpResult, ValidationProblem>> ImportBookings(
        string tenant, HttpRequest request, TenantStore tenants, BookingImport import, CancellationToken ct) =>
        Import(tenant, request, tenants, (data, rows) => import.ImportAsync(data, rows, ct), ct);

    static async Task<Results<Ok<ImportResult>, ProblemHttpResult, ValidationProblem>> Import(
        string tenant, HttpRequest request, TenantStore tenants,
        Func<TenantMasterData, IReadOnlyList<ImportRow>, Task<ImportResult>> import, CancellationToken ct)
    {
        if (await tenants.GetAsync(tenant, ct) is not { } data)
            return Problems.NotFound($"Tenant '{tenant}' does not exist; PUT its master data first.");
        IReadOnlyList<ImportRow> rows;
        try
        {
            var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
            rows = mediaType switch
            {
                "text/csv" => ImportReader.ReadCsv(new StringReader(await new StreamReader(request.Body).ReadToEndAsync(ct))),
                null or "application/json" => await ImportReader.ReadJsonAsync(request.Body, ct),
                _ => throw new ImportFormatException("Send application/json or text/csv."),
            };
        }
        catch (ImportFormatException e)
        {
            return Problems.ValidationFailed(new() { ["body"] = [e.Message] });
        }
        return TypedResults.Ok(await import(data, rows));
    }
}
