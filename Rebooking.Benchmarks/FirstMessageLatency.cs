using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace Rebooking.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --no-build --project Rebooking.Benchmarks -- latency [rounds]</c>: what a clerk waits for
/// after the 202 — the time until the first SMS of a declared outage reaches a fake Twilio (50 ms latency) on
/// loopback. Real Release processes on one SQLite file: first the Api with its in-process worker, then the Api
/// without one and two separate Rebooking.Worker processes. Each round declares an outage over 50 bookings of a
/// day of its own; prints every round and the median per set-up.
/// </summary>
internal static class FirstMessageLatency
{
    const int BookingsPerDay = 50;

    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 9;
        if (ReleaseProcess.Dll("Rebooking.Api") is not { } apiDll || ReleaseProcess.Dll("Rebooking.Worker") is not { } workerDll) return 1;

        foreach (var workers in new[] { 0, 2 })
        {
            var figures = await MeasureAsync(apiDll, workerDll, workers, rounds);
            var sorted = figures.Order().ToList();
            Console.WriteLine($"{(workers == 0 ? "in-process worker" : $"{workers} worker processes")}: " +
                $"median {sorted[sorted.Count / 2]:F0} ms, min {sorted[0]:F0} ms, max {sorted[^1]:F0} ms ({string.Join(", ", figures.Select(f => f.ToString("F0")))})");
        }
        return 0;
    }

    static async Task<List<double>> MeasureAsync(string apiDll, string workerDll, int workers, int rounds)
    {
        using var twilio = FakeTwilioListener.Start(TimeSpan.FromMilliseconds(50));
        var firstRequest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        twilio.OnRequest = () => firstRequest.TrySetResult();
        var directory = Directory.CreateTempSubdirectory("rebooking-latency-").FullName;
        var port = 18_600 + workers;
        var baseUrl = $"http://127.0.0.1:{port}";
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Rebooking"] = $"Data Source={Path.Combine(directory, "rebooking.db")}",
            ["Demo__Seed"] = "false",
            ["Demo__AdminApiKey"] = ReleaseProcess.AdminKey,
            ["Rebooking__RequestsPerMinutePerClient"] = "0",
            ["Rebooking__PublicBaseUrl"] = "https://termine.example.de",
            ["Twilio__AccountSid"] = FakeTwilioListener.AccountSid,
            ["Twilio__AuthToken"] = "token",
            ["Twilio__From"] = "Buergeramt",
            ["Twilio__BaseUrl"] = twilio.BaseUrl,
            ["Twilio__RatePerSecond"] = "0",
            ["Worker__InProcess"] = workers == 0 ? "true" : "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var processes = new List<Process> { ReleaseProcess.Start(apiDll, directory, environment, ["--urls", baseUrl]) };
        try
        {
            using var http = await ReleaseProcess.AdminClientAsync(baseUrl, 150);
            for (var i = 0; i < workers; i++) processes.Add(ReleaseProcess.Start(workerDll, directory, environment, []));
            await Task.Delay(TimeSpan.FromSeconds(5)); // the workers migrate-check and start their Hangfire servers

            var first = DateTime.UtcNow.Date.AddDays(3);
            string At(DateTime day, int minutes) => day.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            await ReleaseProcess.PutTenantAsync(http, 1);
            await ReleaseProcess.CheckAsync(http.PostAsJsonAsync("/api/tenants/bench/bookings/import", Enumerable.Range(0, rounds * BookingsPerDay).Select(i => new
            {
                externalRef = $"F{i:0000}", officeId = "a", serviceId = "s",
                start = At(first.AddDays(i / BookingsPerDay), 8 * 60 + i % BookingsPerDay * 6), end = At(first.AddDays(i / BookingsPerDay), 8 * 60 + i % BookingsPerDay * 6 + 15),
                name = $"Person {i}", phone = $"0171 {7000000 + i}", language = "de",
            }).ToArray()));

            var figures = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                var day = first.AddDays(round);
                firstRequest = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                var declared = await http.PostAsJsonAsync("/api/tenants/bench/outages",
                    new { start = At(day, 6 * 60), end = At(day, 18 * 60), reason = "latency", publicMessage = "Ihr Termin faellt aus." });
                var clock = Stopwatch.StartNew();
                if (declared.StatusCode != HttpStatusCode.Accepted) throw new InvalidOperationException($"declare: {declared.StatusCode}");
                await firstRequest.Task.WaitAsync(TimeSpan.FromSeconds(30));
                figures.Add(clock.Elapsed.TotalMilliseconds);
                await Task.Delay(TimeSpan.FromSeconds(2)); // the round's other messages go out before the next one
            }
            return figures;
        }
        finally
        {
            foreach (var process in processes)
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                process.Dispose();
            }
            try { Directory.Delete(directory, true); } catch (IOException) { }
        }
    }
}
