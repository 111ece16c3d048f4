using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Http.Features;

namespace Rebooking.Api.Http;

/// <summary>
/// Keeps link tokens out of every log line, metric and trace. ASP.NET Core logs "Request starting … {path}" before
/// any middleware runs, so the path is redacted where the server hands the request to the application
/// (<see cref="TokenPaths.Redact"/>); the first middleware gives the application the real path back and puts
/// the redacted one in place again before "Request finished" is logged.
/// </summary>
public static class TokenRedaction
{
    /// <summary>Wraps the configured server (Kestrel); call after the web host's defaults are in place.</summary>
    public static IHostApplicationBuilder AddTokenRedaction(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        var server = services.LastOrDefault(d => d.ServiceType == typeof(IServer));
        if (server is null) return builder;
        services.Remove(server);
        services.AddSingleton<IServer>(sp => new RedactingServer(server.ImplementationInstance as IServer
            ?? (server.ImplementationFactory is { } factory ? (IServer)factory(sp) : (IServer)ActivatorUtilities.CreateInstance(sp, server.ImplementationType!))));
        return builder;
    }

    /// <summary>The first middleware: the real path for the application, the redacted one for whatever logs afterwards.</summary>
    public static IApplicationBuilder UseTokenRedaction(this IApplicationBuilder app) =>
        app.Use(async (http, next) =>
        {
            if (http.Features.Get<RedactedPath>() is not { } redacted)
            {
                await next(http);
                return;
            }
            var request = http.Features.Get<IHttpRequestFeature>()!;
            request.Path = redacted.OriginalPath;
            request.RawTarget = redacted.OriginalRawTarget;
            try
            {
                await next(http);
            }
            finally
            {
                request.Path = redacted.Path;
                request.RawTarget = redacted.RawTarget;
            }
        });

    sealed record RedactedPath(string Path, string RawTarget, string OriginalPath, string OriginalRawTarget);

    sealed class RedactingServer(IServer inner) : IServer
    {
        public IFeatureCollection Features => inner.Features;

        public Task StartAsync<TContext>(IHttpApplication<TContext> application, CancellationToken cancellationToken) where TContext : notnull =>
            inner.StartAsync(new RedactingApplication<TContext>(application), cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => inner.StopAsync(cancellationToken);

        public void Dispose() => inner.Dispose();
    }

    sealed class RedactingApplication<TContext>(IHttpApplication<TContext> inner) : IHttpApplication<TContext> where TContext : notnull
    {
        public TContext CreateContext(IFeatureCollection contextFeatures)
        {
            if (contextFeatures.Get<IHttpRequestFeature>() is { } request)
            {
                var path = TokenPaths.Redact(request.Path);
                // The raw target may spell the path percent-encoded (/%72/…): once the decoded path held a token,
                // the raw target becomes that redacted path with the original query.
                var query = request.RawTarget.IndexOf('?');
                var raw = path is not null ? path + (query >= 0 ? request.RawTarget[query..] : "") : TokenPaths.Redact(request.RawTarget);
                if (path is not null || raw is not null)
                {
                    var redacted = new RedactedPath(path ?? request.Path, raw ?? request.RawTarget, request.Path, request.RawTarget);
                    contextFeatures.Set(redacted);
                    request.Path = redacted.Path;
                    request.RawTarget = redacted.RawTarget;
                }
            }
            return inner.CreateContext(contextFeatures);
        }

        public Task ProcessRequestAsync(TContext context) => inner.ProcessRequestAsync(context);

        public void DisposeContext(TContext context, Exception? exception) => inner.DisposeContext(context, exception);
    }
}
