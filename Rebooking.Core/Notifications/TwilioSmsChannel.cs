using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Http;
using Twilio.Rest.Api.V2010.Account;
using TwilioNumber = Twilio.Types.PhoneNumber;

namespace Rebooking.Notifications;

/// <summary>
/// SMS through the Twilio SDK (<c>MessageResource.CreateAsync</c>/<c>ReadAsync</c>), with Twilio's errors mapped
/// to what the dispatcher does. The SDK takes no CancellationToken: a call is bounded by the HttpClient's
/// timeout (<see cref="TwilioOptions.Timeout"/>).
/// </summary>
public sealed class TwilioSmsChannel(ITwilioRestClient client, TwilioOptions options) : INotificationChannel
{
    public string Name => "sms";
    public double RatePerSecond => options.RatePerSecond;

    /// <summary>Codes after which this number will never get an SMS from us: invalid, opted out, not a mobile, not reachable.</summary>
    static readonly HashSet<int> PermanentCodes = [21211, 21408, 21610, 21612, 21614, 21217, 21401, 21407, 21421, 21604];

    /// <summary>
    /// The SDK's client over <paramref name="http"/> (from IHttpClientFactory, with <see cref="TwilioHttpHandler"/> and
    /// the timeout set). Authenticates with the API key when there is one, else with the auth token; the account
    /// SID stays in the URL either way.
    /// </summary>
    public static TwilioRestClient CreateClient(System.Net.Http.HttpClient http, TwilioOptions options)
    {
        var (user, secret) = string.IsNullOrWhiteSpace(options.ApiKeySid)
            ? (options.AccountSid!, options.AuthToken!)
            : (options.ApiKeySid, options.ApiKeySecret!);
        WarmUp();
        return new TwilioRestClient(user, secret, options.AccountSid, options.Region, new SystemNetHttpClient(http), options.Edge);
    }

    /// <summary>
    /// Builds the SDK's request parameters and its JSON contracts for a message once, before the first burst of
    /// sends: done by 32 sends at once on a cold process, that reflection kept the thread pool so busy that
    /// answers already received waited past <see cref="TwilioOptions.Timeout"/> and counted as unknown.
    /// </summary>
    static void WarmUp()
    {
        _ = new CreateMessageOptions(new TwilioNumber("+10000000000")) { Body = "-", SmartEncoded = true, From = new TwilioNumber("X") }.GetParams();
        _ = MessageResource.FromJson("""{"sid":"SM00000000000000000000000000000000","status":"queued","date_created":"Thu, 06 May 2021 08:30:00 +0000"}""");
    }

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, string? statusCallback, CancellationToken ct)
    {
        var create = new CreateMessageOptions(new TwilioNumber(message.To)) { Body = message.Text, SmartEncoded = true };
        if (string.IsNullOrWhiteSpace(options.MessagingServiceSid)) create.From = new TwilioNumber(options.From);
        else create.MessagingServiceSid = options.MessagingServiceSid;
        if (statusCallback is not null) create.StatusCallback = new Uri(statusCallback);
        var capture = TwilioResponseCapture.Begin();
        try
        {
            var created = await MessageResource.CreateAsync(create, client);
            return new SendOutcome(SendStatus.Accepted, ProviderRef: created.Sid);
        }
        catch (ApiException e)
        {
            return Map(e, capture.RetryAfter);
        }
        catch (ApiConnectionException e) when (IsRefused(e))
        {
            return new SendOutcome(SendStatus.Transient, Error: "connection refused");
        }
        catch (ApiConnectionException e)
        {
            // The request may have reached Twilio: a timeout or a dropped connection leaves the outcome unknown.
            return new SendOutcome(SendStatus.Ambiguous, Error: IsTimeout(e) ? "timeout" : "connection failed");
        }
    }

    /// <summary>
    /// How an <see cref="ApiException"/> is acted on. A 5xx, or an answer the SDK could not read (a non-JSON body
    /// arrives as code 0 and status 0), may have created the message: ambiguous, reconciled before any resend.
    /// </summary>
    internal static SendOutcome Map(ApiException e, TimeSpan? retryAfter)
    {
        var code = e.Code != 0 ? e.Code.ToString() : e.Status != 0 ? e.Status.ToString() : null;
        return e switch
        {
            { Status: 429 } or { Code: 20429 or 21611 } =>
                new SendOutcome(SendStatus.Transient, ErrorCode: code ?? "429", Error: "rate limited", RetryAfter: retryAfter),
            { Status: 401 } or { Code: 20003 } =>
                new SendOutcome(SendStatus.Transient, ErrorCode: code ?? "401", Error: "Twilio refused our credentials", RetryAfter: TimeSpan.FromMinutes(5)),
            { Status: >= 500 } or { Status: 0, Code: 0 } =>
                new SendOutcome(SendStatus.Ambiguous, ErrorCode: code, Error: "Twilio server error; the message may exist"),
            { Code: var c } when PermanentCodes.Contains(c) => new SendOutcome(SendStatus.Permanent, ErrorCode: code, Error: e.Message),
            _ => new SendOutcome(SendStatus.Permanent, ErrorCode: code, Error: e.Message),
        };
    }

    /// <summary>
    /// Looks among the messages Twilio sent to <paramref name="to"/> since the attempt's day (Twilio filters by day)
    /// for one with the same body. Reads only the first page: the SDK loads later pages synchronously.
    /// </summary>
    /// <exception cref="HttpRequestException">Twilio could not be asked; the message stays in flight.</exception>
    public async Task<SendOutcome?> ReconcileAsync(string to, byte[] bodyHash, DateTimeOffset attemptedAt, CancellationToken ct)
    {
        var read = new ReadMessageOptions { To = new TwilioNumber(to), DateSentAfter = attemptedAt.UtcDateTime.Date, PageSize = 50, Limit = 50 };
        var sent = await TwilioLists.FirstPageAsync(() => MessageResource.ReadAsync(read, client), "Twilio could not be asked about an earlier attempt");
        var match = sent.FirstOrDefault(m => m.Body is not null
            && (TwilioLists.CreatedUtc(m.DateCreated) is not { } created || created >= attemptedAt.AddMinutes(-2))
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(m.Body)), bodyHash));
        return match is null ? null : new SendOutcome(SendStatus.Accepted, ProviderRef: match.Sid);
    }

    /// <summary><c>date_created</c> in UTC: the SDK hands it over as a DateTime of uncertain kind.</summary>
    static bool IsRefused(Exception e) => Chain(e).OfType<SocketException>()
        .Any(s => s.SocketErrorCode is SocketError.ConnectionRefused or SocketError.HostNotFound);

    static bool IsTimeout(Exception e) => Chain(e).Any(x => x is TimeoutException or TaskCanceledException);

    static IEnumerable<Exception> Chain(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException) yield return x;
    }
}
