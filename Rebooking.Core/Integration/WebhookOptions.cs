using System.Net;

namespace Rebooking.Integration;

/// <summary><c>Webhooks:*</c>: where deliveries may go and how they are sent. Validated at start.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Development and tests only: loopback addresses (and plain http to them) are allowed.</summary>
    public bool AllowLoopback { get; set; }

    /// <summary>
    /// Networks in CIDR notation (<c>10.20.0.0/16</c>) that receivers may be in although they are private:
    /// an appointment system inside the municipal network. Still https only.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];

    /// <summary>A 2xx within this time counts as delivered (default and maximum 10 s).</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries claimed per round (default 500).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Requests in flight at once per worker (default 32).</summary>
    public int Concurrency { get; set; } = 32;

    /// <summary>
    /// How long a claimed delivery is held before another worker may send it (default 5 min). Must outlast a
    /// round in which every request times out: <see cref="LongestRound"/>.
    /// </summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest a round can take: its batch in waves of <see cref="Concurrency"/>, each up to <see cref="Timeout"/>, plus one more for recording.</summary>
    public TimeSpan LongestRound => Timeout * ((BatchSize + Concurrency - 1) / Math.Max(Concurrency, 1) + 1);

    /// <summary>A webhook that has failed for this long without one success is disabled (default 3 days).</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(3);

    /// <summary>At most this many bytes of a receiver's answer are read (default 4096); the rest is dropped.</summary>
    public int MaxResponseBytes { get; set; } = 4096;

    internal IReadOnlyList<IPNetwork> ParsedNetworks => AllowedNetworks.Select(n => IPNetwork.Parse(n.Trim())).ToList();

    /// <summary>The problems with these settings, empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromSeconds(10)) yield return "Webhooks:Timeout must be more than 0 and at most 10 seconds.";
        if (BatchSize is < 1 or > 1000) yield return "Webhooks:BatchSize must be 1 to 1000.";
        if (Concurrency is < 1 or > 256) yield return "Webhooks:Concurrency must be 1 to 256.";
        if (Lease < LongestRound) yield return $"Webhooks:Lease must outlast a round of timeouts: at least {LongestRound} with these BatchSize, Concurrency and Timeout.";
        if (DisableAfter < TimeSpan.FromDays(3)) yield return "Webhooks:DisableAfter must be at least 3 days.";
        if (MaxResponseBytes is < 0 or > 1_048_576) yield return "Webhooks:MaxResponseBytes must be 0 to 1048576.";
        foreach (var network in AllowedNetworks)
            if (!IPNetwork.TryParse(network.Trim(), out _)) yield return $"Webhooks:AllowedNetworks: '{network}' is not a CIDR network.";
    }
}
