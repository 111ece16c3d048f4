namespace Rebooking.Notifications;

/// <summary>
/// Sits between the Twilio SDK and the network. It sends calls for <c>*.twilio.com</c> to <see cref="TwilioOptions.BaseUrl"/>
/// when one is set (the SDK has no base-URL setting), and notes <c>Retry-After</c> in the current
/// <see cref="TwilioResponseCapture"/>. It never retries: a repeated create would be a second SMS.
/// </summary>
public sealed class TwilioHttpHandler(TwilioOptions options, TimeProvider clock) : DelegatingHandler
{
    readonly Uri? target = string.IsNullOrWhiteSpace(options.BaseUrl) ? null : new Uri(options.BaseUrl, UriKind.Absolute);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (target is not null && request.RequestUri is { } uri && IsTwilioHost(uri.Host))
        {
            var path = target.AbsolutePath.TrimEnd('/') + uri.AbsolutePath;
            request.RequestUri = new UriBuilder(target.Scheme, target.Host, target.Port, path, uri.Query).Uri;
        }
        var response = await base.SendAsync(request, cancellationToken);
        if (TwilioResponseCapture.Current is { } capture && response.Headers.RetryAfter is { } retry)
            capture.RetryAfter = retry.Delta ?? (retry.Date is { } date ? date - clock.GetUtcNow() : null);
        return response;
    }

    static bool IsTwilioHost(string host) =>
        host.Equals("twilio.com", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".twilio.com", StringComparison.OrdinalIgnoreCase);
}
