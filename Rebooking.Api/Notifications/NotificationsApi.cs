using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Rebooking.Api.Access;
using Rebooking.Api.Http;
using Rebooking.Access;
using Rebooking.Notifications;
using Rebooking.Rebookings;

namespace Rebooking.Api.Notifications;

public sealed record OutboxMessage(string Channel, string To, string? Subject, string Body, DateTimeOffset CreatedAt);

public static class NotificationsApi
{
    /// <summary><c>POST /webhooks/twilio/status</c>: Twilio's delivery reports, signed with the auth token.</summary>
    public static IEndpointRouteBuilder MapTwilioWebhooks(this IEndpointRouteBuilder app)
    {
        app.MapPost("/webhooks/twilio/status", TwilioStatus).WithTags("Webhooks").AllowAnonymous().DisableAntiforgery()
            .RequireRateLimiting(RateLimits.TwilioWebhook);
        return app;
    }

    /// <summary><c>GET /api/dev/outbox</c>: what would have been sent, while neither Twilio nor SMTP is configured.</summary>
    public static RouteGroupBuilder MapDevOutbox(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/dev").WithTags("Development").RequireAuthorization(StaffAuth.AdminPolicy);
        group.MapGet("/outbox", Outbox);
        return group;
    }

    /// <summary>
    /// 403 unless <c>X-Twilio-Signature</c> matches the public URL Twilio called (from configuration, not from
    /// the request, which a proxy may have rewritten) and the form. Unknown messages are answered 200, so
    /// Twilio does not retry them forever.
    /// </summary>
    static async Task<Results<Ok, ProblemHttpResult>> TwilioStatus(
        HttpRequest request, TwilioOptions twilio, IOptions<RebookingOptions> rebooking, DeliveryCallbacks callbacks, CancellationToken ct)
    {
        if (!request.HasFormContentType) return Forbidden();
        var form = await request.ReadFormAsync(ct);
        var fields = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        var url = $"{rebooking.Value.PublicBaseUrl.TrimEnd('/')}{request.Path}{request.QueryString}";
        if (string.IsNullOrEmpty(twilio.AuthToken) || !TwilioSignature.IsValid(twilio.AuthToken, url, fields, request.Headers["X-Twilio-Signature"]))
            return Forbidden();
        var sid = form["MessageSid"].ToString();
        var status = form["MessageStatus"].ToString();
        if (sid.Length > 0 && status.Length > 0)
            await callbacks.ApplyAsync(sid, status, form["ErrorCode"].ToString() is { Length: > 0 } code ? code : null, ct);
        return TypedResults.Ok();
    }

    static ProblemHttpResult Forbidden() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The request signature is missing or wrong.");

    /// <summary>Only the messages of the caller's tenants; everything for an admin of all tenants.</summary>
    static async Task<Ok<List<OutboxMessage>>> Outbox(ClaimsPrincipal user, DevOutbox outbox, CancellationToken ct)
    {
        var tenants = user.FindAll(RebookingClaims.Tenant).Select(c => c.Value).ToList();
        var rows = await outbox.ListAsync(tenants, ct);
        return TypedResults.Ok(rows.Select(r => new OutboxMessage(r.Channel, r.To, r.Subject, r.Body, r.CreatedAt)).ToList());
    }
}
