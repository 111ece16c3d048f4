using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Rebooking.Access;
using Rebooking.Api.Http;
using Rebooking.Tenants;

namespace Rebooking.Api.Access;

public sealed record CreateApiKeyResponse(string Id, string Key);

public static class ApiKeysApi
{
    public static RouteGroupBuilder MapApiKeys(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/apikeys").WithTags("API keys").RequireAuthorization(StaffAuth.AdminPolicy);
        group.MapPost("/", CreateKey);
        return group;
    }

    /// <summary>Issues a key; the secret is in this answer only. An admin bound to one tenant may only issue keys for it.</summary>
    static async Task<Results<Created<CreateApiKeyResponse>, ValidationProblem, ProblemHttpResult>> CreateKey(
        CreateApiKeyRequest request, ClaimsPrincipal user, ApiKeyStore keys, TenantStore tenants, CancellationToken ct)
    {
        if (!user.MayAccessTenant(request.Tenant!))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Your key may not issue keys for this tenant.");
        if (request.Tenant != Roles.AllTenants && await tenants.GetAsync(request.Tenant!, ct) is null)
            return Problems.ValidationFailed(new() { ["tenant"] = [$"Tenant '{request.Tenant}' does not exist."] });
        var (id, key) = await keys.CreateAsync(request.Role!, request.Tenant!, request.Label!.Trim(), user.Actor(), ct);
        return TypedResults.Created($"/api/apikeys/{id}", new CreateApiKeyResponse(id, key));
    }
}
