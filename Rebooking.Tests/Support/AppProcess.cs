using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Rebooking.Tests.Support;

/// <summary>
/// A real Rebooking.Api or Rebooking.Worker process, started with <c>dotnet</c> from the build output, in a
/// working directory of the test's choosing. Its console output is kept for assertions and failure reports.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    readonly Process process;
    readonly ConcurrentQueue<string> output = new();

    AppProcess(Process process) => this.process = process;

    public string Output => string.Join(Environment.NewLine, output);

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>Starts <paramref name="project"/> (Rebooking.Api or Rebooking.Worker) with the given environment.</summary>
    public static AppProcess Start(string project, string workingDirectory, IDictionary<string, string?> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(BuildOutput(project));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var app = new AppProcess(process);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) app.output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) app.output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Runs a command of <paramref name="project"/> to its end, feeding <paramref name="input"/> to its standard input.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string project, string workingDirectory, IDictionary<string, string?> environment,
        string? input, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(BuildOutput(project));
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        if (input is not null) await process.StandardInput.WriteLineAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>The project's own build output next to this test assembly's configuration (Debug or Release).</summary>
    public static string BuildOutput(string project)
    {
        var testDir = AppContext.BaseDirectory;
        var configuration = testDir.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        var root = new DirectoryInfo(testDir);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Rebooking.sln"))) root = root.Parent;
        if (root is null) throw new InvalidOperationException("Rebooking.sln not found above " + testDir);
        var dll = Path.Combine(root.FullName, project, "bin", configuration, "net10.0", project + ".dll");
        if (!File.Exists(dll)) throw new FileNotFoundException($"Build {project} first (dotnet build Rebooking.sln).", dll);
        return dll;
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Waits until <paramref name="url"/> answers 200, or fails with the process output.</summary>
    public async Task WaitForHealthyAsync(string url, TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) Assert.Fail($"The process exited with {process.ExitCode}:\n{Output}");
            try
            {
                if ((await client.GetAsync(url)).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        Assert.Fail($"{url} did not answer within {timeout}:\n{Output}");
    }

    /// <summary>
    /// Asks the process to stop, as systemd, Kubernetes or Ctrl+C do (SIGTERM), and waits for it to exit.
    /// Returns the exit code, or null when it did not exit within <paramref name="timeout"/>.
    /// </summary>
    public async Task<int?> TerminateAsync(TimeSpan timeout)
    {
        if (!process.HasExited && SendSignal(process.Id, SigTerm) != 0)
            throw new InvalidOperationException("kill(SIGTERM) failed: " + System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
            return process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    static extern int SendSignal(int pid, int signal);

    /// <summary>Ends the process at once, as a crash or an OOM kill would (SIGKILL).</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.CompletedTask;
        process.Dispose();
    }
}
