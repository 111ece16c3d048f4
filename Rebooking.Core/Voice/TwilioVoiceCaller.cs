using Rebooking.Notifications;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using TwilioNumber = Twilio.Types.PhoneNumber;

namespace Rebooking.Voice;

/// <summary>
/// Calls through the Twilio SDK (<c>CallResource.CreateAsync</c>) with the SMS channel's client and credentials, from
/// <c>Twilio:VoiceFrom</c>. Twilio detects answering machines and waits for the beep (<c>DetectMessageEnd</c>), so a
/// message left lands on the tape; it posts only the final status back. An ambiguous create is reconciled with
/// <see cref="FindPlacedAsync"/> (Twilio's list of calls to the number), as the SMS channel does with messages.
/// </summary>
public sealed class TwilioVoiceCaller(ITwilioRestClient client, string from) : IVoiceCaller
{
    public async Task<SendOutcome> CallAsync(string to, string instructionsUrl, string statusCallbackUrl, CancellationToken ct)
    {
        var create = new CreateCallOptions(new TwilioNumber(to), new TwilioNumber(from))
        {
            Url = new Uri(instructionsUrl),
            Method = Twilio.Http.HttpMethod.Post,
            StatusCallback = new Uri(statusCallbackUrl),
            StatusCallbackMethod = Twilio.Http.HttpMethod.Post,
            StatusCallbackEvent = ["completed"],
            MachineDetection = "DetectMessageEnd",
        };
        var capture = TwilioResponseCapture.Begin();
        try
        {
            var call = await CallResource.CreateAsync(create, client);
            return new SendOutcome(SendStatus.Accepted, ProviderRef: call.Sid);
        }
        catch (ApiException e)
        {
            return TwilioSmsChannel.Map(e, capture.RetryAfter);
        }
        catch (ApiConnectionException e)
        {
            return new SendOutcome(SendStatus.Ambiguous, Error: e.InnerException?.GetType().Name ?? "connection failed");
        }
    }

    /// <summary>
    /// <c>GET …/Calls.json?To=…&amp;From=…</c>, first page only (the SDK loads later pages synchronously; Twilio lists the
    /// newest first, and an attempt's call is among an hour's few calls to one number). <c>date_created</c> decides
    /// what belongs to the attempt: a call without it is left out rather than guessed.
    /// </summary>
    public async Task<IReadOnlyList<PlacedCall>> FindPlacedAsync(string to, DateTimeOffset since, CancellationToken ct)
    {
        var read = new ReadCallOptions { To = new TwilioNumber(to), From = new TwilioNumber(from), PageSize = 50, Limit = 50 };
        var calls = await TwilioLists.FirstPageAsync(() => CallResource.ReadAsync(read, client), "Twilio could not be asked about an earlier call");
        var earliest = since.AddMinutes(-2);
        return calls
            .Select(c => (Call: c, Created: TwilioLists.CreatedUtc(c.DateCreated)))
            .Where(c => c.Call.Sid is not null && c.Created >= earliest)
            .OrderBy(c => c.Created)
            .Select(c => new PlacedCall(c.Call.Sid, c.Call.Status?.ToString() ?? "queued"))
            .ToList();
    }
}
