using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Rebooking.Api.Http;

/// <summary>
/// <c>ForwardedHeaders:KnownProxies</c> (addresses) and <c>ForwardedHeaders:KnownNetworks</c> (CIDR, e.g. <c>10.0.0.0/24</c>):
/// the reverse proxies whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> are believed. With neither set, no
/// forwarded header is believed from anyone (not even loopback), and the connection's address is the client's.
/// </summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";
    public string[] KnownProxies { get; set; } = [];
    public string[] KnownNetworks { get; set; } = [];
    /// <summary>How many proxies in a row to unwind (entries taken from the right of <c>X-Forwarded-For</c>).</summary>
    public int ForwardLimit { get; set; } = 1;

    public bool Enabled => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

public static class ForwardedHeadersSetup
{
    /// <summary>Reads and checks the settings; a value that is not an address or network stops the start with its name.</summary>
    public static IHostApplicationBuilder AddForwardedHeadersFromSettings(this IHostApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(ForwardedHeadersSettings.Section).Get<ForwardedHeadersSettings>() ?? new ForwardedHeadersSettings();
        var proxies = settings.KnownProxies.Select((p, i) => IPAddress.TryParse(p, out var a) ? a
            : throw new InvalidOperationException($"{ForwardedHeadersSettings.Section}:KnownProxies:{i} is not an IP address.")).ToList();
        var networks = settings.KnownNetworks.Select((n, i) => System.Net.IPNetwork.TryParse(n, out var net) ? net
            : throw new InvalidOperationException($"{ForwardedHeadersSettings.Section}:KnownNetworks:{i} is not a network in CIDR notation (10.0.0.0/24).")).ToList();
        if (settings.ForwardLimit < 1) throw new InvalidOperationException($"{ForwardedHeadersSettings.Section}:ForwardLimit must be at least 1.");
        builder.Services.AddSingleton(settings);
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.ForwardLimit = settings.ForwardLimit;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) o.KnownProxies.Add(proxy);
            foreach (var network in networks) o.KnownIPNetworks.Add(network);
        });
        return builder;
    }

    /// <summary>Believes forwarded headers only when proxies are configured; must run before anything reads the client address.</summary>
    public static IApplicationBuilder UseForwardedHeadersFromSettings(this WebApplication app) =>
        app.Services.GetRequiredService<ForwardedHeadersSettings>().Enabled ? app.UseForwardedHeaders() : app;
}
