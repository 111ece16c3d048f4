using System.Net;

namespace Rebooking.Tests.Support;

/// <summary>
/// One browser behind a round-robin load balancer: every request goes to the next host in turn, and the
/// cookies are kept here (any host's cookies sent to every host), as the balancer's single address would.
/// Cookies are kept by hand because the hosts listen on plain loopback HTTP, where .NET's cookie container
/// withholds the console's Secure cookie that a browser would send to localhost.
/// </summary>
public sealed class AlternatingClient : IDisposable
{
    readonly HttpClient[] hosts;
    readonly Dictionary<string, string> cookies = new(StringComparer.Ordinal);
    int next;

    public AlternatingClient(params string[] baseUrls) =>
        hosts = baseUrls.Select(url => new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false })
            { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) }).ToArray();

    /// <summary>Which host (index) answered each request, in order.</summary>
    public List<int> Answered { get; } = [];

    /// <summary>The current value of a cookie, or null.</summary>
    public string? Cookie(string name) => cookies.GetValueOrDefault(name);

    public void SetCookie(string name, string value) => cookies[name] = value;

    /// <summary>Sends to the next host in turn, or to <paramref name="host"/> when given.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, int? host = null)
    {
        var index = host ?? next++ % hosts.Length;
        if (cookies.Count > 0) request.Headers.Add("Cookie", string.Join("; ", cookies.Select(c => $"{c.Key}={c.Value}")));
        var response = await hosts[index].SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
            foreach (var header in set)
            {
                var pair = header.Split(';')[0];
                var equals = pair.IndexOf('=');
                var (name, value) = (pair[..equals].Trim(), pair[(equals + 1)..].Trim());
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase)) cookies.Remove(name);
                else cookies[name] = value;
            }
        Answered.Add(index);
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string path, int? host = null) => SendAsync(new HttpRequestMessage(HttpMethod.Get, path), host);

    public Task<HttpResponseMessage> PostAsync(string path, HttpContent content, int? host = null) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = content }, host);

    /// <summary>GETs <paramref name="path"/> and fails the test unless it answers 200; returns the page.</summary>
    public async Task<string> PageAsync(string path, int? host = null)
    {
        var answer = await GetAsync(path, host);
        var body = await answer.Content.ReadAsStringAsync();
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"GET {path}: {body}");
        return body;
    }

    /// <summary>Fetches the form at <paramref name="formPage"/> from one host and posts it, with its antiforgery token, to the next.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string formPage, string path, params (string Name, string Value)[] fields) =>
        await PostAsync(path, ConsoleSession.Form(await PageAsync(formPage), fields));

    /// <summary>Signs in through the form (page from one host, post to the next) and fails the test unless a session started.</summary>
    public async Task SignInAsync(string email, string password)
    {
        var answer = await PostFormAsync("/staff/login", "/staff/login", ("email", email), ("password", password), ("returnUrl", "/staff"));
        Assert.That(answer.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await answer.Content.ReadAsStringAsync());
    }

    public void Dispose()
    {
        foreach (var host in hosts) host.Dispose();
    }
}
