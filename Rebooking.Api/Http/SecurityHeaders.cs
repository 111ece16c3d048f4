using Microsoft.AspNetCore.Antiforgery;

namespace Rebooking.Api.Http;

/// <summary>
/// What every response carries, whatever answers it (JSON, pages, problem details, 404s from routing, 429s, errors):
/// <c>X-Content-Type-Options: nosniff</c>, no <c>Server</c> header, and a <c>Secure</c> antiforgery cookie.
/// </summary>
public static class SecurityHeaders
{
    /// <summary>
    /// The antiforgery cookie's name. <c>__Host-</c>: browsers keep it only when it is <c>Secure</c>, for this host and
    /// path <c>/</c>, so a neighbouring subdomain cannot plant one.
    /// </summary>
    public const string AntiforgeryCookie = "__Host-rebooking-antiforgery";

    public static IHostApplicationBuilder AddSecurityHeaders(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false);
        // SecurePolicy.Always would make the framework throw on every plain-HTTP request (a loopback development run,
        // the tests), so the Secure attribute is added where the cookie goes out instead (UseSecurityHeaders).
        builder.Services.Configure<AntiforgeryOptions>(o =>
        {
            o.Cookie.Name = AntiforgeryCookie;
            o.Cookie.Path = "/";
        });
        return builder;
    }

    /// <summary>Set when the headers go out, so an error handler that clears the response cannot drop it.</summary>
    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            http.Response.OnStarting(static state =>
            {
                var response = (HttpResponse)state;
                response.Headers.XContentTypeOptions = "nosniff";
                response.Headers.Remove("Server");
                var cookies = response.Headers.SetCookie;
                if (cookies.Any(IsInsecureAntiforgeryCookie))
                    response.Headers.SetCookie = new([.. cookies.Select(c => IsInsecureAntiforgeryCookie(c) ? c + "; secure" : c)]);
                return Task.CompletedTask;
            }, http.Response);
            await next(http);
        });

    static bool IsInsecureAntiforgeryCookie(string? cookie) =>
        cookie is not null && cookie.StartsWith(AntiforgeryCookie + "=", StringComparison.Ordinal)
        && !cookie.Contains("; secure", StringComparison.OrdinalIgnoreCase);
}
