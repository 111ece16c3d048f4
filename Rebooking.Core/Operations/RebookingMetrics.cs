using System.Diagnostics.Metrics;

namespace Rebooking.Operations;

/// <summary>
/// The service's own metrics, on the meter <c>Rebooking</c> (System.Diagnostics.Metrics, which OpenTelemetry
/// reads as it is). Names follow OpenTelemetry's conventions; the Prometheus exporter turns
/// <c>rebooking.notifications.sent</c> into <c>rebooking_notifications_sent_total</c>. No tag ever carries
/// personal data: tags are channel, kind and outcome only. Counters count per process; a scraper adds the
/// processes up.
/// </summary>
public sealed class RebookingMetrics : IDisposable
{
    public const string MeterName = "Rebooking";

    readonly Meter meter;
    readonly Counter<long> sent;
    readonly Counter<long> failed;
    readonly Counter<long> retried;
    readonly Histogram<double> sendDuration;
    readonly Histogram<double> dispatchLatency;
    readonly Histogram<double> outageProcessing;
    readonly Counter<long> cancelled;
    readonly Counter<long> reinstated;
    long queueDepth = -1;

    /// <param name="factory">The host's meter factory; without one (tests, benchmarks) a meter of this instance's own.</param>
    public RebookingMetrics(IMeterFactory? factory = null)
    {
        meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        sent = meter.CreateCounter<long>("rebooking.notifications.sent", "{message}",
            "Messages the provider accepted (SMS by Twilio, email by the relay, or the development outbox).");
        failed = meter.CreateCounter<long>("rebooking.notifications.failed", "{message}",
            "Messages that ended without reaching the citizen (reason: permanent, no-channel, withdrawn).");
        retried = meter.CreateCounter<long>("rebooking.notifications.retried", "{attempt}",
            "Attempts that will be repeated later (reason: transient, ambiguous, fallback-to-email, waiting).");
        sendDuration = meter.CreateHistogram("rebooking.notification.send.duration", "s",
            "How long one call to the provider took.", advice: Buckets(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30));
        dispatchLatency = meter.CreateHistogram("rebooking.notification.dispatch.latency", "s",
            "From the message being queued to the provider accepting it: how long a citizen waits to be told.",
            advice: Buckets(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600));
        outageProcessing = meter.CreateHistogram("rebooking.outage.processing.duration", "s",
            "One pass of the worker over an outage, from claim to synced.", advice: Buckets(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300));
        cancelled = meter.CreateCounter<long>("rebooking.outage.bookings.cancelled", "{booking}", "Bookings cancelled by outages.");
        reinstated = meter.CreateCounter<long>("rebooking.outage.bookings.reinstated", "{booking}",
            "Bookings given back because an outage was shortened or resolved early.");
        meter.CreateObservableGauge("rebooking.notifications.queue.depth", () => Interlocked.Read(ref queueDepth) is >= 0 and var depth
                ? [new Measurement<long>(depth)]
                : Array.Empty<Measurement<long>>(),
            "{message}", "Messages waiting to be sent (queued or being sent), as last counted by this process's dispatcher.");
    }

    public void Sent(string channel, string kind, TimeSpan sinceQueued)
    {
        KeyValuePair<string, object?> c = new("channel", channel), k = new("kind", kind);
        sent.Add(1, c, k);
        dispatchLatency.Record(Math.Max(0, sinceQueued.TotalSeconds), c, k);
    }

    public void Failed(string? channel, string kind, string reason) =>
        failed.Add(1, new("channel", channel ?? "none"), new("kind", kind), new("reason", reason));

    public void Retried(string? channel, string reason) => retried.Add(1, new("channel", channel ?? "none"), new("reason", reason));

    public void SendTook(string channel, string outcome, TimeSpan elapsed) =>
        sendDuration.Record(elapsed.TotalSeconds, new("channel", channel), new("outcome", outcome));

    public void OutageProcessed(TimeSpan elapsed, int cancelledBookings, int reinstatedBookings)
    {
        outageProcessing.Record(elapsed.TotalSeconds);
        if (cancelledBookings > 0) cancelled.Add(cancelledBookings);
        if (reinstatedBookings > 0) reinstated.Add(reinstatedBookings);
    }

    public void QueueDepth(long depth) => Interlocked.Exchange(ref queueDepth, depth);

    static InstrumentAdvice<double> Buckets(params double[] boundaries) => new() { HistogramBucketBoundaries = boundaries };

    public void Dispose() => meter.Dispose();
}
