using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Rebooking.Notifications;
using Rebooking.Rebookings;
using Rebooking.Voice;

namespace Rebooking.Api.Voice;

/// <summary>
/// Twilio's requests about our voice calls, each signed like the SMS status callback (<c>X-Twilio-Signature</c> over
/// the public URL from configuration and the form). An unsigned or forged request gets 403 and changes nothing.
/// </summary>
public static class VoiceApi
{
    public static IEndpointRouteBuilder MapVoiceWebhooks(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/webhooks/twilio/voice/{callId:long}").WithTags("Webhooks").AllowAnonymous().DisableAntiforgery();
        group.MapPost("", Instructions);          // the call was picked up: what to say
        group.MapPost("/gather", Gather);         // a key was pressed (or none)
        group.MapPost("/status", Status);         // the call ended
        return app;
    }

    /// <summary>TwiML for a call that was picked up; <c>AnsweredBy</c> tells a person from a machine.</summary>
    static async Task<Results<ContentHttpResult, ProblemHttpResult>> Instructions(
        long callId, HttpRequest request, TwilioOptions twilio, IOptions<RebookingOptions> rebooking, VoiceConversation conversation, CancellationToken ct)
    {
        if (await SignedFormAsync(request, twilio, rebooking.Value) is not { } form) return Forbidden();
        return TwiML(await conversation.AnswerAsync(callId, form["CallSid"].ToString(), form["AnsweredBy"].ToString() is { Length: > 0 } by ? by : null, ct));
    }

    static async Task<Results<ContentHttpResult, ProblemHttpResult>> Gather(
        long callId, HttpRequest request, TwilioOptions twilio, IOptions<RebookingOptions> rebooking, VoiceConversation conversation, CancellationToken ct)
    {
        if (await SignedFormAsync(request, twilio, rebooking.Value) is not { } form) return Forbidden();
        return TwiML(await conversation.GatherAsync(callId, form["CallSid"].ToString(), form["Digits"].ToString(), ct));
    }

    /// <summary>The final status (<c>CallStatus</c>); unknown calls are answered 200 so Twilio does not retry them.</summary>
    static async Task<Results<Ok, ProblemHttpResult>> Status(
        long callId, HttpRequest request, TwilioOptions twilio, IOptions<RebookingOptions> rebooking, VoiceConversation conversation, CancellationToken ct)
    {
        if (await SignedFormAsync(request, twilio, rebooking.Value) is not { } form) return Forbidden();
        await conversation.StatusAsync(callId, form["CallSid"].ToString(), form["CallStatus"].ToString(), ct);
        return TypedResults.Ok();
    }

    static async Task<IFormCollection?> SignedFormAsync(HttpRequest request, TwilioOptions twilio, RebookingOptions rebooking)
    {
        if (!request.HasFormContentType || string.IsNullOrEmpty(twilio.AuthToken)) return null;
        var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        var fields = form.SelectMany(f => f.Value.Select(v => new KeyValuePair<string, string>(f.Key, v ?? ""))).ToList();
        var url = $"{rebooking.PublicBaseUrl.TrimEnd('/')}{request.Path}{request.QueryString}";
        return TwilioSignature.IsValid(twilio.AuthToken, url, fields, request.Headers["X-Twilio-Signature"]) ? form : null;
    }

    static ContentHttpResult TwiML(string twiml) => TypedResults.Content(twiml, "application/xml; charset=utf-8");

    static ProblemHttpResult Forbidden() =>
        TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Forbidden", detail: "The request signature is missing or wrong.");
}
