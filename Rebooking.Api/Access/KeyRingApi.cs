using System.Security.Claims;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Rebooking.Access;

namespace Rebooking.Api.Access;

/// <summary>The key that new cookies and antiforgery tokens are protected with from now on; <c>activation</c> and <c>expiration</c> in UTC.</summary>
public sealed record KeyRotated(Guid KeyId, DateTimeOffset Activation, DateTimeOffset Expiration);

public static class KeyRingApi
{
    /// <summary><c>POST /api/keyring/rotate</c> (admin of all tenants): a new data-protection key, active at once.</summary>
    public static RouteGroupBuilder MapKeyRing(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/keyring").WithTags("Operations").RequireAuthorization(StaffAuth.AdminPolicy);
        group.MapPost("/rotate", Rotate);
        return group;
    }

    /// <summary>
    /// For a suspected leak or a test of the set-up: the framework's own rotation, brought forward. Older keys stay in
    /// the ring, so cookies issued before keep working on every host; the other hosts read the new key within
    /// <c>DataProtection:RefreshInterval</c>.
    /// </summary>
    static async Task<Results<Ok<KeyRotated>, ProblemHttpResult>> Rotate(
        ClaimsPrincipal user, IKeyManager keys, TimeProvider clock, IOptions<KeyRingOptions> options, ILogger<KeyRingOptions> logger)
    {
        if (!user.MayAccessTenant(Roles.AllTenants))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Only an admin of all tenants may rotate the key ring that all tenants share.");
        var now = clock.GetUtcNow();
        // The key manager writes synchronously to the database; keep that off the request's thread.
        var key = await Task.Run(() => keys.CreateNewKey(now, now + options.Value.KeyLifetime));
        logger.LogInformation("Data-protection key {KeyId} created on request; it protects new cookies from now on", key.KeyId);
        return TypedResults.Ok(new KeyRotated(key.KeyId, key.ActivationDate, key.ExpirationDate));
    }
}
