using System.Diagnostics;

namespace Rebooking.Benchmarks;

/// <summary>Debian's wrk, the HTTP load generator of the benchmarks against the real Api.</summary>
internal static class Wrk
{
    const string Path = "/usr/bin/wrk";

    /// <summary>False, with how to install it on stderr, when wrk is not installed.</summary>
    public static bool IsInstalled()
    {
        if (File.Exists(Path)) return true;
        Console.Error.WriteLine("apt-get install wrk");
        return false;
    }

    /// <summary>Runs wrk with <paramref name="args"/> to its end and returns what it printed.</summary>
    public static async Task<string> RunAsync(string[] args)
    {
        using var wrk = Process.Start(new ProcessStartInfo(Path, args) { RedirectStandardOutput = true })!;
        var output = await wrk.StandardOutput.ReadToEndAsync();
        await wrk.WaitForExitAsync();
        return output;
    }
}
