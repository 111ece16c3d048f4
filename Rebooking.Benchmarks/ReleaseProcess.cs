using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;

namespace Rebooking.Benchmarks;

/// <summary>
/// How the end-to-end benchmarks run the Release build: the Api and workers as real processes on loopback, waited
/// for through <c>/health</c> and called over HTTP.
/// </summary>
internal static class ReleaseProcess
{
    /// <summary>The bootstrap admin key (<c>Demo:AdminApiKey</c>) the benchmarks give the Api they start.</summary>
    public const string AdminKey = "bench-admin-key-0123456789abcdef";

    /// <summary>
    /// The Release build of <paramref name="project"/> (<c>Rebooking.Api</c>, <c>Rebooking.Worker</c>) in the solution
    /// this benchmark runs from; null, with the command that builds it on stderr, when it is not built.
    /// </summary>
    public static string? Dll(string project)
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Rebooking.sln"))) root = root.Parent;
        var dll = Path.Combine(root!.FullName, project, "bin", "Release", "net10.0", project + ".dll");
        if (File.Exists(dll)) return dll;
        Console.Error.WriteLine("Build first: dotnet build Rebooking.sln -c Release");
        return null;
    }

    /// <summary>
    /// Starts <c>dotnet <paramref name="dll"/> <paramref name="args"/></c> in <paramref name="workingDirectory"/> with
    /// <paramref name="environment"/> added to this process's; its output goes to <paramref name="output"/>, or nowhere.
    /// </summary>
    public static Process Start(string dll, string workingDirectory, IReadOnlyDictionary<string, string> environment,
        IEnumerable<string> args, ConcurrentQueue<string>? output = null)
    {
        var info = new ProcessStartInfo("dotnet", [dll, .. args]) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output?.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output?.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// A client of the Api at <paramref name="baseUrl"/> with the admin key, once <c>/health</c> answered (or after
    /// <paramref name="attempts"/> tries, 200 ms apart: the first call then tells what is wrong).
    /// </summary>
    public static async Task<HttpClient> AdminClientAsync(string baseUrl, int attempts, TimeSpan? timeout = null)
    {
        var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
        if (timeout is { } limit) http.Timeout = limit;
        http.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        await WaitHealthyAsync(http, attempts);
        return http;
    }

    /// <summary>The benchmarks' municipality <c>bench</c> (Europe/Berlin): <paramref name="offices"/> offices <c>a</c>, <c>b</c>, … and the 15-minute service <c>s</c>.</summary>
    public static Task PutTenantAsync(HttpClient admin, int offices) => CheckAsync(admin.PutAsJsonAsync("/api/tenants/bench", new
    {
        name = "Stadt Bench", timeZone = "Europe/Berlin", defaultCountryCode = "49", contact = new { phone = "01234 5678" },
        offices = Enumerable.Range(0, offices).Select(i => new { id = ((char)('a' + i)).ToString(), name = $"Bürgerbüro {(char)('A' + i)}" }).ToArray(),
        services = new[] { new { id = "s", name = "Personalausweis", durationMinutes = 15 } },
    }));

    /// <summary>Asks <c>/health</c> up to <paramref name="attempts"/> times, 200 ms apart, until it answers 2xx or <paramref name="process"/> exits; true once healthy.</summary>
    public static async Task<bool> WaitHealthyAsync(HttpClient http, int attempts, Process? process = null)
    {
        for (var i = 0; i < attempts; i++)
        {
            if (process is { HasExited: true }) return false;
            if (await HealthyAsync(http)) return true;
            await Task.Delay(200);
        }
        return false;
    }

    public static async Task<bool> HealthyAsync(HttpClient http)
    {
        try { return (await http.GetAsync("/health")).IsSuccessStatusCode; }
        catch (HttpRequestException) { return false; }
    }

    /// <summary>Awaits <paramref name="call"/> and throws with the status and body unless it answered 2xx.</summary>
    public static async Task CheckAsync(Task<HttpResponseMessage> call)
    {
        var answer = await call;
        if (!answer.IsSuccessStatusCode) throw new InvalidOperationException($"{answer.StatusCode}: {await answer.Content.ReadAsStringAsync()}");
    }
}
