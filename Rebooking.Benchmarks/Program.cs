using BenchmarkDotNet.Running;

namespace Rebooking.Benchmarks;

/// <summary><c>dotnet run -c Release --project Rebooking.Benchmarks -- --filter '*'</c>; see docs/performance.md.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
