using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Rebooking.Access;

namespace Rebooking.Api.Integration;

/// <summary>
/// Marks the few endpoints the <c>integration</c> role may use (imports and the change feed). The admin and
/// supervisor policies admit an integration key only on an endpoint carrying this marker, so every other
/// route — including any added later — answers it 403.
/// </summary>
public sealed class IntegrationAccess
{
    public static readonly IntegrationAccess Instance = new();

    /// <summary>True when <paramref name="context"/> is an integration caller on a marked endpoint.</summary>
    public static bool Admits(AuthorizationHandlerContext context) =>
        context.User.HasClaim(RebookingClaims.Role, Roles.Integration)
        && context.Resource is HttpContext http
        && http.GetEndpoint()?.Metadata.GetMetadata<IntegrationAccess>() is not null;
}

public static class IntegrationAccessExtensions
{
    /// <summary>Lets the appointment system's <c>integration</c> key call this endpoint (its own tenant only).</summary>
    public static TBuilder AllowIntegration<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(IntegrationAccess.Instance);

    internal static bool HasAnyRole(this ClaimsPrincipal user, params string[] roles) =>
        roles.Any(r => user.HasClaim(RebookingClaims.Role, r));
}
