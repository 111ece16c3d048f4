using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Rebooking.Api.Access;
using Rebooking.Api.Http;
using Rebooking.Integration;
using Rebooking.Tenants;

namespace Rebooking.Api.Integration;

/// <summary>Body of <c>POST /api/tenants/{tenant}/webhooks</c>.</summary>
public sealed record CreateWebhookRequest(string? Url, string? Description);

/// <summary>Body of <c>POST .../webhooks/{id}/redeliver</c>: the change from which to send again, and whether all later ones too.</summary>
public sealed record RedeliverRequest(string? ChangeId, bool AndAfter);

public sealed record WebhookCreated(Guid Id, string Url, string? Description, string Secret);

public sealed record WebhookResponse(Guid Id, string Url, string? Description, string Status, int ConsecutiveFailures,
    string? FailingSince, string? DisabledAt, string CreatedAt);

public sealed record DeliveryResponse(string ChangeId, string Type, string BookingRef, string Status, int Attempts, int? LastStatusCode,
    string? LastError, string? LastAttemptAt, string? NextAttemptAt, string? DeliveredAt);

public sealed record RedeliveryQueued(int Queued);

/// <summary>A tenant admin's webhooks: create (the secret is shown once), list, delete, the delivery log, redelivery.</summary>
public static class WebhooksApi
{
    public static RouteGroupBuilder MapWebhooks(this RouteGroupBuilder tenant)
    {
        var group = tenant.MapGroup("/webhooks").WithTags("Integration").RequireAuthorization(StaffAuth.AdminPolicy);
        group.MapPost("", Create);
        group.MapGet("", List);
        group.MapDelete("/{id:guid}", Delete);
        group.MapGet("/{id:guid}/deliveries", Deliveries);
        group.MapPost("/{id:guid}/redeliver", Redeliver);
        return group;
    }

    static async Task<Results<Created<WebhookCreated>, ValidationProblem, ProblemHttpResult>> Create(
        string tenant, CreateWebhookRequest request, ClaimsPrincipal user, TenantStore tenants, WebhookStore webhooks,
        WebhookAddressPolicy addresses, CancellationToken ct)
    {
        if (await tenants.GetAsync(tenant, ct) is null) return Problems.NotFound($"Tenant '{tenant}' does not exist.");
        var errors = new Dictionary<string, string[]>();
        if (await addresses.CheckAsync(request.Url, ct) is { } problem) errors["url"] = [problem];
        if (request.Description is { Length: > 200 }) errors["description"] = ["'description' must be at most 200 characters."];
        if (errors.Count > 0) return Problems.ValidationFailed(errors);
        var (webhook, secret) = await webhooks.CreateAsync(tenant, request.Url!, request.Description, user.Actor(), ct);
        return TypedResults.Created($"/api/tenants/{tenant}/webhooks/{webhook.Id}", new WebhookCreated(webhook.Id, webhook.Url, webhook.Description, secret));
    }

    static async Task<Results<Ok<List<WebhookResponse>>, ProblemHttpResult>> List(string tenant, TenantStore tenants, WebhookStore webhooks, CancellationToken ct)
    {
        if (await tenants.GetAsync(tenant, ct) is not { } data) return Problems.NotFound($"Tenant '{tenant}' does not exist.");
        var zone = OffsetTime.Zone(data.Tenant.TimeZone);
        return TypedResults.Ok((await webhooks.ListAsync(tenant, ct)).Select(w => new WebhookResponse(
            w.Id, w.Url, w.Description, w.Status, w.ConsecutiveFailures, Local(w.FailingSince, zone), Local(w.DisabledAt, zone),
            OffsetTime.Format(w.CreatedAt, zone))).ToList());
    }

    static async Task<Results<NoContent, ProblemHttpResult>> Delete(string tenant, Guid id, ClaimsPrincipal user, WebhookStore webhooks, CancellationToken ct) =>
        await webhooks.DeleteAsync(tenant, id, user.Actor(), ct) ? TypedResults.NoContent() : Problems.NotFound("No such webhook for this tenant.");

    static async Task<Results<Ok<List<DeliveryResponse>>, ProblemHttpResult>> Deliveries(
        string tenant, Guid id, TenantStore tenants, WebhookStore webhooks, CancellationToken ct)
    {
        if (await tenants.GetAsync(tenant, ct) is not { } data || await webhooks.GetAsync(tenant, id, ct) is null)
            return Problems.NotFound("No such webhook for this tenant.");
        var zone = OffsetTime.Zone(data.Tenant.TimeZone);
        return TypedResults.Ok((await webhooks.DeliveriesAsync(id, 100, ct)).Select(d => new DeliveryResponse(
            d.ChangeId, d.Type, d.BookingRef, d.Status, d.Attempts, d.LastStatusCode, d.LastError, Local(d.LastAttemptAt, zone),
            d.Status == "pending" ? OffsetTime.Format(d.NextAttemptAt, zone) : null, Local(d.DeliveredAt, zone))).ToList());
    }

    static async Task<Results<Accepted<RedeliveryQueued>, ValidationProblem, ProblemHttpResult>> Redeliver(
        string tenant, Guid id, RedeliverRequest request, ClaimsPrincipal user, WebhookStore webhooks, CancellationToken ct)
    {
        if (!ChangeCursor.TryParse(request.ChangeId, out var position))
            return Problems.ValidationFailed(new() { ["changeId"] = ["'changeId' must be the id of a change."] });
        var queued = await webhooks.RedeliverAsync(tenant, id, position, request.AndAfter, user.Actor(), ct);
        return queued < 0
            ? Problems.NotFound("No such webhook for this tenant.")
            : TypedResults.Accepted($"/api/tenants/{tenant}/webhooks/{id}/deliveries", new RedeliveryQueued(queued));
    }

    internal static string? Local(DateTimeOffset? utc, TimeZoneInfo zone) => utc is { } t ? OffsetTime.Format(t, zone) : null;
}
