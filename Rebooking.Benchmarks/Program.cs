using BenchmarkDotNet.Running;

namespace Rebooking.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project Rebooking.Benchmarks -- --filter '*'</c> for the BenchmarkDotNet
/// benchmarks; <c>-- rebook-load</c> for the load scenario against the real Api; <c>-- scenario [sizes]</c> for
/// the outage day at 10k and 100k bookings; <c>-- latency</c> for the time from a declaration's 202 to its first
/// SMS; <c>-- integration [changes]</c> for the change feed and webhook delivery. See docs/performance.md.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args is ["rebook-load", ..]) return await RebookLoadScenario.RunAsync();
        if (args is ["scenario", ..]) return await ProductionScenario.RunAsync(args);
        if (args is ["latency", ..]) return await FirstMessageLatency.RunAsync(args);
        if (args is ["outage-http", ..]) return await OutageOverHttp.RunAsync(args);
        if (args is ["integration", ..]) return await IntegrationScenario.RunAsync(args);
        if (args is ["overview", ..]) return await OverviewScenario.RunAsync(args);
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
