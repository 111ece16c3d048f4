namespace Rebooking.Api.Http;

/// <summary>The headers every HTML page sends, in one place: the citizens' page, the console and the public status page.</summary>
public static class PageHeaders
{
    /// <summary>
    /// Sets the page's Content-Security-Policy, its referrer policy and nosniff. A private page (a citizen's link,
    /// the console) is also kept out of search engines and caches; a public one decides its own caching.
    /// </summary>
    public static void Set(HttpResponse response, string contentSecurityPolicy, string referrerPolicy, bool isPrivate = true)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = contentSecurityPolicy;
        headers["Referrer-Policy"] = referrerPolicy;
        headers["X-Content-Type-Options"] = "nosniff";
        if (!isPrivate) return;
        headers["X-Robots-Tag"] = "noindex, nofollow";
        headers.CacheControl = "no-store";
    }
}
