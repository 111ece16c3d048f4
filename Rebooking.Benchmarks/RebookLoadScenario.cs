using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Rebooking.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project Rebooking.Benchmarks -- rebook-load</c>: the Release Api as a real process
/// on loopback, an outage over 2,000 bookings, and wrk (Debian's) against the citizen page (once on the fresh
/// process, then warm) and the booking endpoint. Prints requests/s and latency percentiles; fails if any slot
/// ends up beyond its capacity.
/// </summary>
internal static partial class RebookLoadScenario
{
    public static async Task<int> RunAsync()
    {
        if (ReleaseProcess.Dll("Rebooking.Api") is not { } apiDll || !Wrk.IsInstalled()) return 1;

        var directory = Directory.CreateTempSubdirectory("rebooking-load-").FullName;
        var baseUrl = "http://127.0.0.1:18480";
        using var api = ReleaseProcess.Start(apiDll, directory, new Dictionary<string, string>
        {
            ["Demo__Seed"] = "false",
            ["Demo__AdminApiKey"] = ReleaseProcess.AdminKey,
            ["Rebooking__RequestsPerMinutePerClient"] = "0",
            ["Worker__PollInterval"] = "00:00:00.200",
            ["Logging__LogLevel__Default"] = "Warning",
        }, ["--urls", baseUrl]);
        try
        {
            using var http = await ReleaseProcess.AdminClientAsync(baseUrl, 100);

            var day = DateTime.UtcNow.Date.AddDays(2);
            string At(int minutes) => day.AddMinutes(minutes).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
            await ReleaseProcess.PutTenantAsync(http, 2);
            // 20 slots of 5 after the outage: 100 units for 2,000 citizens, so bookings contend.
            await ReleaseProcess.CheckAsync(http.PostAsJsonAsync("/api/tenants/bench/slots/import", Enumerable.Range(0, 20).Select(i => new
            {
                officeId = i % 2 == 0 ? "a" : "b", serviceId = (string?)null, start = At(14 * 60 + 15 * i), end = At(14 * 60 + 15 * i + 15), capacity = 5,
            }).ToArray()));
            await ReleaseProcess.CheckAsync(http.PostAsJsonAsync("/api/tenants/bench/bookings/import", Enumerable.Range(0, 2000).Select(i => new
            {
                externalRef = $"L{i:0000}", officeId = i % 2 == 0 ? "a" : "b", serviceId = "s", start = At(7 * 60 + i % 300), end = At(7 * 60 + i % 300 + 15),
                name = $"Person {i}", phone = $"0171 {5000000 + i}", language = "de",
            }).ToArray()));
            await ReleaseProcess.CheckAsync(http.PostAsJsonAsync("/api/tenants/bench/outages", new { start = At(6 * 60), end = At(13 * 60), reason = "load", publicMessage = "Ihr Termin faellt aus." }));

            var tokens = new List<string>();
            for (var i = 0; i < 300 && tokens.Count < 2000; i++)
            {
                await Task.Delay(500);
                var outbox = await http.GetFromJsonAsync<JsonElement>("/api/dev/outbox");
                tokens = outbox.EnumerateArray().Select(m => Link().Match(m.GetProperty("body").GetString()!).Groups[1].Value).Distinct().ToList();
            }
            Console.WriteLine($"{tokens.Count} links ready");
            var slots = (await http.GetFromJsonAsync<JsonElement>($"/api/rebook/{tokens[0]}")).GetProperty("offers")
                .EnumerateArray().Select(o => o.GetProperty("slotId").GetString()!).ToList();

            // The first seconds of a fresh process run unoptimised code (tiered JIT); a service on an outage day has
            // been up for hours. The cold run is reported, then the page is measured warm, as in steady operation.
            Console.WriteLine("== cold: GET /r/{token} on the fresh process, 64 connections, 10 s");
            Console.WriteLine(await Wrk.RunAsync(["-t2", "-c64", "-d10s", "--latency", $"{baseUrl}/r/{tokens[^2]}"]));
            Console.WriteLine("== warm: GET /r/{token}, 64 connections, 20 s");
            Console.WriteLine(await Wrk.RunAsync(["-t2", "-c64", "-d20s", "--latency", $"{baseUrl}/r/{tokens[^1]}"]));

            var script = Path.Combine(directory, "book.lua");
            await File.WriteAllTextAsync(script, BookingScript(tokens.Skip(1).ToList(), slots));
            Console.WriteLine("== POST /api/rebook/{token}, 1,999 citizens, 20 slots of 5, 64 connections, 10 s");
            Console.WriteLine(await Wrk.RunAsync(["-t2", "-c64", "-d10s", "--latency", "-s", script, baseUrl]));

            await using var db = new SqliteConnection($"Data Source={Path.Combine(directory, "data", "rebooking.db")};Mode=ReadOnly");
            var over = await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM slots WHERE booked > capacity");
            var rebooked = await db.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings WHERE outcome = 'rebooked'");
            var held = await db.ExecuteScalarAsync<int>("SELECT COALESCE(SUM(booked), 0) FROM slots");
            Console.WriteLine($"rebooked: {rebooked}; units held: {held} of 100; slots beyond capacity: {over}");
            return over == 0 && rebooked <= 100 ? 0 : 2;
        }
        finally
        {
            api.Kill(entireProcessTree: true);
            await api.WaitForExitAsync();
        }
    }

    // Each request books a different citizen's link into one of the offered slots, round robin; wrk counts
    // non-2xx (the 409s once the slots are full) separately.
    static string BookingScript(IReadOnlyList<string> tokens, IReadOnlyList<string> slots)
    {
        var lua = new StringBuilder("local tokens = {");
        lua.Append(string.Join(",", tokens.Select(t => $"\"{t}\""))).Append("}\nlocal slots = {");
        lua.Append(string.Join(",", slots.Select(s => $"\"{s}\""))).Append("}\n");
        lua.Append("""
            local counter = 0
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            request = function()
              counter = counter + 1
              local token = tokens[(counter % #tokens) + 1]
              local slot = slots[(counter % #slots) + 1]
              return wrk.format(nil, "/api/rebook/" .. token, nil, '{"slotId":"' .. slot .. '"}')
            end
            """);
        return lua.ToString();
    }

    [GeneratedRegex(@"/r/([A-Za-z0-9_-]+)")]
    private static partial Regex Link();
}
