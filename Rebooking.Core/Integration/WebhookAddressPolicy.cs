using System.Net;
using System.Net.Http;
using System.Net.Sockets;

namespace Rebooking.Integration;

/// <summary>Thrown when a webhook's host resolves to an address deliveries may not go to.</summary>
public sealed class WebhookAddressRefusedException(string message) : Exception(message);

/// <summary>
/// Keeps deliveries away from the service's own network (SSRF): only https, and no loopback, private,
/// link-local, multicast or otherwise special address — unless <see cref="WebhookOptions.AllowLoopback"/> or
/// <see cref="WebhookOptions.AllowedNetworks"/> says so. The URL is checked when a webhook is created, and
/// the resolved address again at every connection (<see cref="ConnectAsync"/>), so a name that later resolves
/// elsewhere (DNS rebinding) gets nowhere.
/// </summary>
public sealed class WebhookAddressPolicy(WebhookOptions options)
{
    readonly IReadOnlyList<IPNetwork> allowed = options.ParsedNetworks;

    static readonly IPNetwork[] Forbidden =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"),
        IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("100::/64"),
        IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("ff00::/8"),
    ];

    /// <summary>True when a delivery may connect to <paramref name="address"/> for a URL of <paramref name="scheme"/>.</summary>
    public bool IsAllowed(IPAddress address, string scheme = "https")
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return options.AllowLoopback;
        if (scheme != Uri.UriSchemeHttps) return false;
        if (allowed.Any(n => n.Contains(address))) return true;
        return !Forbidden.Any(n => n.Contains(address));
    }

    /// <summary>What is wrong with <paramref name="url"/> as a webhook address, without resolving it; null when nothing.</summary>
    public string? CheckSyntax(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "'url' must be an absolute https URL.";
        if (url.Length > 2000) return "'url' must be at most 2000 characters.";
        if (uri.Scheme != Uri.UriSchemeHttps && !(options.AllowLoopback && uri.Scheme == Uri.UriSchemeHttp))
            return "'url' must use https.";
        if (!string.IsNullOrEmpty(uri.UserInfo)) return "'url' must not carry a user name or password.";
        if (!string.IsNullOrEmpty(uri.Fragment)) return "'url' must not have a fragment.";
        if (IPAddress.TryParse(HostOf(uri), out var literal) && !IsAllowed(literal, uri.Scheme))
            return "'url' points to a private, loopback or reserved address.";
        return null;
    }

    /// <summary>As <see cref="CheckSyntax"/>, and every address the host resolves to now must be allowed.</summary>
    public async Task<string?> CheckAsync(string? url, CancellationToken ct = default)
    {
        if (CheckSyntax(url) is { } problem) return problem;
        var uri = new Uri(url!);
        try
        {
            await ResolveAsync(HostOf(uri), uri.Scheme, ct);
            return null;
        }
        catch (WebhookAddressRefusedException e)
        {
            return e.Message;
        }
        catch (SocketException)
        {
            return "'url' has a host name that does not resolve.";
        }
    }

    /// <summary>The host to resolve: IDN in ASCII, an IPv6 literal without its brackets.</summary>
    static string HostOf(Uri uri) => uri.IdnHost.Trim('[', ']');

    async Task<IPAddress[]> ResolveAsync(string host, string scheme, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, ct);
        if (addresses.Length == 0) throw new WebhookAddressRefusedException("'url' has a host name that does not resolve.");
        // One forbidden answer refuses the name: a mix is how rebinding attacks begin.
        if (addresses.Any(a => !IsAllowed(a, scheme)))
            throw new WebhookAddressRefusedException("'url' points to a private, loopback or reserved address.");
        return addresses;
    }

    /// <summary>
    /// <see cref="SocketsHttpHandler.ConnectCallback"/>: resolves the host, refuses a forbidden address with
    /// <see cref="WebhookAddressRefusedException"/>, and connects to the checked address itself.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var scheme = context.InitialRequestMessage.RequestUri?.Scheme ?? Uri.UriSchemeHttps;
        var addresses = await ResolveAsync(context.DnsEndPoint.Host.Trim('[', ']'), scheme, ct);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last!;
    }

    /// <summary>The client deliveries go through: checked connections, no redirects, no cookies, the configured timeout.</summary>
    public HttpClient CreateClient() => new(new SocketsHttpHandler
    {
        ConnectCallback = ConnectAsync,
        AllowAutoRedirect = false,
        UseCookies = false,
        UseProxy = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        ConnectTimeout = options.Timeout,
        MaxConnectionsPerServer = Math.Max(options.Concurrency, 2),
        MaxResponseHeadersLength = 16,
    })
    {
        Timeout = options.Timeout,
    };
}
