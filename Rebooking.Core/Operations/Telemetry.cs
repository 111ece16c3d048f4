using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace Rebooking.Operations;

/// <summary><c>Metrics:*</c> settings.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>
    /// The port on which this process serves <c>/metrics</c> in Prometheus' text format (9464 is the usual
    /// one). Unset: no listener. Each process needs its own port; the port is for the operator's scraper,
    /// never for the reverse proxy.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>The interface the listener binds to: <c>localhost</c> (default) or <c>+</c> for all of them.</summary>
    public string Host { get; set; } = "localhost";
}

public static class Telemetry
{
    /// <summary>
    /// Meters exported besides our own: the runtime's (GC, thread pool), ASP.NET Core's request durations and
    /// HttpClient's (the calls to Twilio) — all built into .NET, no instrumentation packages needed.
    /// </summary>
    static readonly string[] Meters = [RebookingMetrics.MeterName, "System.Runtime", "Microsoft.AspNetCore.Hosting", "System.Net.Http"];

    /// <summary>Registers <see cref="RebookingMetrics"/> and, when <c>Metrics:Port</c> is set, a Prometheus scrape endpoint for this process.</summary>
    public static IHostApplicationBuilder AddRebookingTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(sp => new RebookingMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        var options = builder.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        if (options.Port is not null) builder.Services.AddHostedService(sp => new MetricsEndpoint(options, sp.GetRequiredService<ILogger<MetricsEndpoint>>()));
        return builder;
    }

    /// <summary>The OpenTelemetry meter provider with its Prometheus listener, for the lifetime of the host.</summary>
    sealed class MetricsEndpoint(MetricsOptions options, ILogger<MetricsEndpoint> logger) : IHostedService
    {
        MeterProvider? provider;

        public Task StartAsync(CancellationToken cancellationToken)
        {
            provider = Sdk.CreateMeterProviderBuilder()
                .AddMeter(Meters)
                .AddPrometheusHttpListener(o =>
                {
                    o.Host = options.Host;
                    o.Port = options.Port!.Value;
                })
                .Build();
            logger.LogInformation("Metrics for Prometheus on port {Port} at /metrics", options.Port);
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken)
        {
            provider?.Dispose();
            return Task.CompletedTask;
        }
    }
}
