using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rebooking.Notifications;

/// <summary><c>Twilio:*</c>. Configured when there is an account, a credential and a sender.</summary>
public sealed class TwilioOptions
{
    public const string Section = "Twilio";
    public string? AccountSid { get; set; }
    public string? AuthToken { get; set; }
    public string? ApiKeySid { get; set; }
    public string? ApiKeySecret { get; set; }
    public string? From { get; set; }
    public string? MessagingServiceSid { get; set; }
    /// <summary>Twilio's API host; the EU (Ireland) region has its own.</summary>
    public string BaseUrl { get; set; } = "https://api.twilio.com";
    /// <summary>How long a send may take before its outcome is treated as unknown (and reconciled).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Messages per second this worker process sends; 0 = no limit. Twilio's default is 10 segments/s per sender.</summary>
    public double RatePerSecond { get; set; } = 10;
    /// <summary>Price per outbound SMS segment for the preview's estimate, e.g. "0.0832 EUR" (<see cref="SmsPrice"/>); unset = no price.</summary>
    public string? PricePerSegment { get; set; }

    public bool IsConfigured =>
        !string.IsNullOrWhiteSpace(AccountSid)
        && (!string.IsNullOrWhiteSpace(AuthToken) || (!string.IsNullOrWhiteSpace(ApiKeySid) && !string.IsNullOrWhiteSpace(ApiKeySecret)))
        && (!string.IsNullOrWhiteSpace(From) || !string.IsNullOrWhiteSpace(MessagingServiceSid));
}

/// <summary>A message as Twilio describes it.</summary>
public sealed class TwilioMessage
{
    [JsonPropertyName("sid")] public string Sid { get; init; } = "";
    [JsonPropertyName("status")] public string? Status { get; init; }
    [JsonPropertyName("to")] public string? To { get; init; }
    [JsonPropertyName("body")] public string? Body { get; init; }
    [JsonPropertyName("date_created")] public string? DateCreated { get; init; }

    /// <summary><c>date_created</c> is RFC 2822 in GMT, e.g. <c>Thu, 06 May 2021 08:30:00 +0000</c>.</summary>
    public DateTimeOffset? Created =>
        DateTimeOffset.TryParseExact(DateCreated, "ddd, dd MMM yyyy HH:mm:ss zzz", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
}

/// <summary>Twilio's answer to a send: the message, or its error code (<c>code</c> of the error body) and HTTP status.</summary>
public sealed record TwilioSendResult(HttpStatusCode Status, TwilioMessage? Message, int? ErrorCode, string? ErrorMessage, TimeSpan? RetryAfter);

/// <summary>
/// Our own client for Twilio's Programmable Messaging REST API (the SDK is not in the feed):
/// <c>POST {BaseUrl}/2010-04-01/Accounts/{AccountSid}/Messages.json</c>, form-encoded UTF-8, HTTP Basic with
/// an API key (preferred) or the account's auth token.
/// </summary>
public sealed class TwilioClient(HttpClient http, TwilioOptions options)
{
    string MessagesUrl => $"{options.BaseUrl.TrimEnd('/')}/2010-04-01/Accounts/{Uri.EscapeDataString(options.AccountSid!)}/Messages.json";

    public async Task<TwilioSendResult> SendAsync(string to, string body, string? statusCallback, CancellationToken ct)
    {
        var form = new List<KeyValuePair<string, string>> { new("To", to), new("Body", body), new("SmartEncoded", "true") };
        form.Add(string.IsNullOrWhiteSpace(options.MessagingServiceSid) ? new("From", options.From!) : new("MessagingServiceSid", options.MessagingServiceSid));
        if (statusCallback is not null) form.Add(new("StatusCallback", statusCallback));
        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = Credentials();
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        var retryAfter = response.Headers.RetryAfter is { } r
            ? r.Delta ?? (r.Date is { } date ? date - DateTimeOffset.UtcNow : null)
            : null;
        if (response.StatusCode == HttpStatusCode.Created)
            return new TwilioSendResult(response.StatusCode, JsonSerializer.Deserialize<TwilioMessage>(text), null, null, retryAfter);
        var (code, message) = ParseError(text);
        return new TwilioSendResult(response.StatusCode, null, code, message, retryAfter);
    }

    /// <summary>Messages sent to <paramref name="to"/> since the day of <paramref name="since"/> (Twilio filters by day).</summary>
    public async Task<IReadOnlyList<TwilioMessage>> ListSentToAsync(string to, DateTimeOffset since, CancellationToken ct)
    {
        var url = $"{MessagesUrl}?To={Uri.EscapeDataString(to)}&DateSent%3E={since.UtcDateTime:yyyy-MM-dd}&PageSize=50";
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = Credentials();
        using var response = await http.SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
        var page = JsonSerializer.Deserialize<MessagePage>(await response.Content.ReadAsStringAsync(ct));
        return page?.Messages ?? [];
    }

    AuthenticationHeaderValue Credentials()
    {
        var (user, secret) = string.IsNullOrWhiteSpace(options.ApiKeySid)
            ? (options.AccountSid!, options.AuthToken!)
            : (options.ApiKeySid, options.ApiKeySecret!);
        return new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{secret}")));
    }

    static (int? Code, string? Message) ParseError(string text)
    {
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            int? code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null;
            return (code, root.TryGetProperty("message", out var m) ? m.GetString() : null);
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    sealed class MessagePage
    {
        [JsonPropertyName("messages")] public List<TwilioMessage>? Messages { get; init; }
    }
}

/// <summary>
/// <c>X-Twilio-Signature</c>: Base64(HMAC-SHA1(auth token, the full URL Twilio called followed by every POST
/// parameter sorted by key (ordinal), each key then value, no separators)). Compared in constant time;
/// the URL is also tried with the default port added or removed, because Twilio is inconsistent about it.
/// </summary>
public static class TwilioSignature
{
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var (key, value) in form.OrderBy(p => p.Key, StringComparer.Ordinal)) data.Append(key).Append(value);
        using var hmac = new HMACSHA1(Encoding.UTF8.GetBytes(authToken));
        return Convert.ToBase64String(hmac.ComputeHash(Encoding.UTF8.GetBytes(data.ToString())));
    }

    public static bool IsValid(string authToken, string url, IReadOnlyList<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(signature)) return false;
        var presented = Encoding.UTF8.GetBytes(signature);
        foreach (var candidate in UrlVariants(url))
            if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Compute(authToken, candidate, form)), presented)) return true;
        return false;
    }

    static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Port != (uri.Scheme == "https" ? 443 : 80)) yield break;
        var withoutPort = $"{uri.Scheme}://{uri.Host}{uri.PathAndQuery}";
        var withPort = $"{uri.Scheme}://{uri.Host}:{uri.Port}{uri.PathAndQuery}";
        if (withoutPort != url) yield return withoutPort;
        if (withPort != url) yield return withPort;
    }
}
