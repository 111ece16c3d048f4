using System.Globalization;
using System.Resources;
using Microsoft.AspNetCore.Mvc;
using Rebooking.Api.Access;
using Rebooking.Api.Outages;
using Rebooking.Api.StaffConsole;
using Rebooking.Integration;
using Rebooking.Tenants;

namespace Rebooking.Api.Integration;

public sealed record WebhooksPageModel(TenantMasterData Tenant, IReadOnlyList<Webhook> Webhooks, WebhookTexts Texts);

public sealed record DeliveriesPageModel(TenantMasterData Tenant, Webhook Webhook, IReadOnlyList<DeliveryLogEntry> Deliveries, int? Redelivered, WebhookTexts Texts);

/// <summary>The webhook pages' texts (German first), in the staff member's language.</summary>
public sealed class WebhookTexts(StaffView staff)
{
    static readonly ResourceManager Texts = new("Rebooking.Api.Integration.WebhookTexts", typeof(WebhookTexts).Assembly);

    public string T(string key) => Texts.GetString(key, CultureInfo.GetCultureInfo(staff.Language)) ?? key;

    public string T(string key, params object[] args) => string.Format(staff.Culture, T(key), args);
}

/// <summary>
/// A tenant admin's view of the webhooks (<c>/staff/tenants/{tenant}/webhooks</c>): each webhook and whether it is
/// disabled, its delivery log (status, attempts, last answer, next attempt), and redelivery of one change or of
/// everything from a change on. Creating and deleting is done through the API, where the secret is shown once.
/// </summary>
public static class WebhookPages
{
    public static RouteGroupBuilder MapWebhookPages(this RouteGroupBuilder console)
    {
        var group = console.MapGroup("/tenants/{tenant}/webhooks").RequireAuthorization(StaffAuth.ConsoleAdminPolicy);
        group.MapGet("", List);
        group.MapGet("/{id:guid}", Deliveries);
        group.MapPost("/{id:guid}/redeliver", Redeliver);
        return console;
    }

    static async Task<IResult> List(string tenant, HttpContext http, TenantStore tenants, WebhookStore webhooks, CancellationToken ct)
    {
        if (await OutagePages.TenantFor(http, tenant, tenants, ct) is not { } data) return ConsolePages.Forbidden(http);
        return ConsolePages.Render<WebhooksPage>(http, new WebhooksPageModel(data, await webhooks.ListAsync(tenant, ct), new WebhookTexts(StaffView.For(http))));
    }

    static async Task<IResult> Deliveries(string tenant, Guid id, int? redelivered, HttpContext http, TenantStore tenants, WebhookStore webhooks, CancellationToken ct)
    {
        if (await OutagePages.TenantFor(http, tenant, tenants, ct) is not { } data) return ConsolePages.Forbidden(http);
        if (await webhooks.GetAsync(tenant, id, ct) is not { } webhook) return Results.NotFound();
        return ConsolePages.Render<WebhookDeliveriesPage>(http, new DeliveriesPageModel(
            data, webhook, await webhooks.DeliveriesAsync(id, 200, ct), redelivered, new WebhookTexts(StaffView.For(http))));
    }

    static async Task<IResult> Redeliver(string tenant, Guid id, [FromForm] string? changeId, [FromForm] string? andAfter, HttpContext http,
        WebhookStore webhooks, CancellationToken ct)
    {
        if (!http.User.MayAccessTenant(tenant)) return ConsolePages.Forbidden(http);
        if (!ChangeCursor.TryParse(changeId, out var position))
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["changeId"] = ["'changeId' must be the id of a change."] });
        var queued = await webhooks.RedeliverAsync(tenant, id, position, andAfter == "true", http.User.Actor(), ct);
        return queued < 0 ? Results.NotFound() : Results.Redirect($"/staff/tenants/{tenant}/webhooks/{id}?redelivered={queued}");
    }
}
