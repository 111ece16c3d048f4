using Twilio.Security;

namespace Rebooking.Notifications;

/// <summary>
/// Checks <c>X-Twilio-Signature</c> with the SDK's <see cref="RequestValidator"/>. Twilio is inconsistent about the
/// default port: the validator is also asked with the URL's default port added and removed, so a public URL
/// configured with or without <c>:443</c> accepts both forms. A missing signature is simply invalid.
/// </summary>
public static class TwilioSignature
{
    public static bool IsValid(string authToken, string url, IReadOnlyList<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken) || !Uri.TryCreate(url, UriKind.Absolute, out _)) return false;
        // Twilio signs each key once (the last value wins, as in a form read into a dictionary).
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in form) parameters[key] = value;
        var validator = new RequestValidator(authToken);
        return UrlVariants(url).Any(candidate => validator.Validate(candidate, parameters, signature));
    }

    static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        var uri = new Uri(url);
        if (!uri.IsDefaultPort) yield break;
        var withoutPort = $"{uri.Scheme}://{uri.Host}{uri.PathAndQuery}";
        var withPort = $"{uri.Scheme}://{uri.Host}:{uri.Port}{uri.PathAndQuery}";
        if (withoutPort != url) yield return withoutPort;
        if (withPort != url) yield return withPort;
    }
}
