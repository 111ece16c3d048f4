using System.Net;

namespace Rebooking.Tests.Support;

/// <summary>
/// A browser against a real Api process on http://127.0.0.1: keeps cookies itself (HttpClient's cookie container
/// would not send back the Secure cookies the service sets, which browsers do send to loopback), follows no
/// redirects, and can present itself from a client address behind the trusted proxy (<c>X-Forwarded-For</c>).
/// </summary>
public sealed class PlainHttpBrowser(string baseUrl, string? forwardedFor = null) : IDisposable
{
    readonly HttpClient client = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false });
    readonly Dictionary<string, string> cookies = [];

    /// <summary>The Set-Cookie headers of every answer so far.</summary>
    public List<string> SetCookies { get; } = [];

    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        // Relative paths are appended as written: "//r/x" must stay a path, not become the host "r".
        if (request.RequestUri is { IsAbsoluteUri: false } relative) request.RequestUri = new Uri(baseUrl + relative.OriginalString);
        if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        if (forwardedFor is not null) request.Headers.Add("X-Forwarded-For", forwardedFor);
        var response = await client.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
            foreach (var value in values)
            {
                SetCookies.Add(value);
                var pair = value.Split(';')[0];
                var equals = pair.IndexOf('=');
                cookies[pair[..equals]] = pair[(equals + 1)..];
            }
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path));

    public async Task<string> GetStringAsync(string path)
    {
        var response = await GetAsync(path);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), path);
        return await response.Content.ReadAsStringAsync();
    }

    public Task<HttpResponseMessage> PostFormAsync(string path, params (string Name, string Value)[] fields) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value))),
        });

    /// <summary>Posts the form of the page at <paramref name="formPage"/> with its antiforgery token, as a browser would.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string formPage, string path, params (string Name, string Value)[] fields) =>
        await PostFormAsync(path, [("__RequestVerificationToken", ConsoleSession.Token(await GetStringAsync(formPage))), .. fields]);

    public void Dispose() => client.Dispose();
}
