using Microsoft.AspNetCore.Http.HttpResults;
using Rebooking.Api.Access;
using Rebooking.Api.Http;
using Rebooking.Integration;

namespace Rebooking.Api.Integration;

/// <summary><c>GET /api/tenants/{tenant}/changes</c>: the appointment system reads what this service changed.</summary>
public static class ChangesApi
{
    public static RouteGroupBuilder MapChanges(this RouteGroupBuilder tenant)
    {
        var group = tenant.MapGroup("/changes").WithTags("Integration");
        group.MapGet("", Read).RequireAuthorization(StaffAuth.AdminPolicy).AllowIntegration();
        return group;
    }

    /// <summary>Oldest first after <paramref name="after"/>; <paramref name="limit"/> 1..1000, default 100.</summary>
    static async Task<Results<Ok<ChangePage>, ValidationProblem, ProblemHttpResult>> Read(
        string tenant, string? after, string? limit, ChangeFeed feed, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var position = 0L;
        if (after is not null && !ChangeCursor.TryParse(after, out position))
            errors["after"] = ["'after' must be a change id this service returned (the 'id' of a change or 'next')."];
        var count = ChangeFeed.DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count)
                                  || count is < 1 or > ChangeFeed.MaxLimit))
            errors["limit"] = [$"'limit' must be a whole number from 1 to {ChangeFeed.MaxLimit}."];
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        return await feed.ReadAsync(tenant, position, count, ct) is { } page
            ? TypedResults.Ok(page)
            : Problems.NotFound($"Tenant '{tenant}' does not exist.");
    }
}
