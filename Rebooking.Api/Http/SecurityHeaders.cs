using Microsoft.AspNetCore.Antiforgery;

namespace Rebooking.Api.Http;

/// <summary>
/// What every response carries, whatever answers it (JSON, pages, problem details, 404s from routing, 429s, errors):
/// <c>X-Content-Type-Options: nosniff</c>, no <c>Server</c> header, and a <c>Secure</c> antiforgery cookie.
/// </summary>
public static class SecurityHeaders
{
    public static IHostApplicationBuilder AddSecurityHeaders(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false);
        builder.Services.Configure<AntiforgeryOptions>(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);
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
                return Task.CompletedTask;
            }, http.Response);
            await next(http);
        });
}
