using Rebooking.Notifications;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using TwilioNumber = Twilio.Types.PhoneNumber;

namespace Rebooking.Voice;

/// <summary>
/// Calls through the Twilio SDK (<c>CallResource.CreateAsync</c>) with the SMS channel's client and credentials, from
/// <c>Twilio:VoiceFrom</c>. Twilio detects answering machines and waits for the beep (<c>DetectMessageEnd</c>), so a
/// message left lands on the tape; it posts only the final status back.
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
}
