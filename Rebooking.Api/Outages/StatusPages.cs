using Microsoft.AspNetCore.Http.HttpResults;
using Rebooking.Api.Http;
using Rebooking.Api.Rebookings;
using Rebooking.Api.StaffConsole;
using Rebooking.Outages;
using Rebooking.Tenants;

namespace Rebooking.Api.Outages;

public sealed record StatusPageModel(TenantMasterData Tenant, IReadOnlyList<Outage> Current, DateTimeOffset Now, string? Language);

/// <summary>
/// <c>/status/{tenant}</c>: the public page a municipality's web team links to while its own site is down.
/// Active outages with their public message and the offices and services they affect; no sign-in, no
/// personal data, cacheable for 30 seconds so a rush of citizens costs one query every half minute.
/// </summary>
public static class StatusPages
{
    public static IEndpointRouteBuilder MapStatusPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status/{tenant}", Show).AllowAnonymous().ExcludeFromDescription().RequireRateLimiting(RateLimits.StatusPage);
        return app;
    }

    static async Task<IResult> Show(string tenant, string? lang, HttpContext http, TenantStore tenants, OutageStore outages, TimeProvider clock, CancellationToken ct)
    {
        PageHeaders.Set(http.Response, ConsolePages.SecurityPolicy, "same-origin", isPrivate: false);
        if (!TenantSlug.IsValid(tenant) || await tenants.GetAsync(tenant, ct) is not { } data)
            return Results.NotFound();
        var now = clock.GetUtcNow();
        var current = (await outages.ListAsync(tenant, ct))
            .Where(o => o.Status != OutageStatus.Resolved && (o.End is null || o.End > now))
            .OrderBy(o => o.Start).ToList();
        http.Response.Headers.CacheControl = "public, max-age=30";
        return new RazorComponentResult<StatusPage>(new Dictionary<string, object?>
        {
            ["Staff"] = StatusView.For(lang, $"/status/{tenant}"),
            ["Model"] = new StatusPageModel(data, current, now, lang),
        });
    }
}
