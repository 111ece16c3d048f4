using System.Collections.Concurrent;
using System.Diagnostics;

namespace Rebooking.Rebookings;

/// <summary>
/// Offers per (outage, service) for a short time, process-local. Booking always re-checks the slot in the
/// database, so a stale entry can only lead to "this slot is gone" with fresh offers.
/// </summary>
public sealed class OfferCache(TimeSpan duration)
{
    const int MaxEntries = 10_000;

    readonly ConcurrentDictionary<(Guid Outage, string Service), (long Expires, IReadOnlyList<Offer> Offers)> entries = new();

    /// <summary>The cached offers, or those <paramref name="load"/> reads when there are none or they are older than the duration.</summary>
    public async Task<IReadOnlyList<Offer>> GetAsync(Guid outage, string service, Func<Task<IReadOnlyList<Offer>>> load)
    {
        var key = (outage, service);
        if (entries.TryGetValue(key, out var cached) && Stopwatch.GetTimestamp() < cached.Expires) return cached.Offers;
        var fresh = await load();
        if (entries.Count > MaxEntries) entries.Clear();
        entries[key] = (Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency), fresh);
        return fresh;
    }

    /// <summary>Forgets the offers after a booking changed what is free.</summary>
    public void Forget(Guid outage, string service) => entries.TryRemove((outage, service), out _);
}
