using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Rebooking.Data;
using Rebooking.Outages;

namespace Rebooking.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --no-build --project Rebooking.Benchmarks -- overview [seconds] [--without-figures-index]</c>: the regional overview
/// (<c>/staff</c> for an admin of all tenants) at the issue's scale. A SQLite database made by the real migrations and
/// seeded set-based with 72 tenants (two offices, one service each), 100,000 cancelled bookings and 216 active,
/// fully processed outages (3 per tenant, the first of each in one regional incident) whose affected rows add up to
/// 100,000 in a mix of contact and outcome states; an all-tenant admin made with <c>staff add</c>; the Release Api
/// as a real process on it (in-process worker, idle); a browser-like sign-in; then wrk with the session cookie:
/// a warm-up, and measured runs at 1 and 8 connections (and, for comparison, a page without the figures). Prints
/// p50/p95/p99 and requests/s.
/// </summary>
internal static partial class OverviewScenario
{
    const int Tenants = 72;
    const int OutagesPerTenant = 3;
    const int Affected = 100_000;
    const string Email = "regio@kreis.example";
    const string Password = "overview benchmark passphrase";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 1 && int.TryParse(args[1], CultureInfo.InvariantCulture, out var given) ? given : 30;
        // --without-figures-index: the schema as it was before migration 0011, for the before/after comparison.
        var withoutIndex = args.Contains("--without-figures-index");
        if (ReleaseProcess.Dll("Rebooking.Api") is not { } apiDll || !Wrk.IsInstalled()) return 1;

        var directory = Directory.CreateTempSubdirectory("rebooking-overview-").FullName;
        var database = Path.Combine(directory, "rebooking.db");
        var db = new Db(DatabaseProvider.Sqlite, $"Data Source={database}");
        await new Migrator(db, NullLogger<Migrator>.Instance, TimeProvider.System).MigrateAsync();
        var seed = Stopwatch.StartNew();
        await SeedAsync(database);
        if (withoutIndex)
        {
            await using var connection = new SqliteConnection($"Data Source={database}");
            await connection.ExecuteAsync("DROP INDEX ix_affected_figures; ANALYZE;");
            Console.WriteLine("without ix_affected_figures (the schema before migration 0011)");
        }
        Console.WriteLine($"seeded {Tenants} tenants, {Tenants * OutagesPerTenant} outages, {Affected:N0} affected bookings in {seed.Elapsed.TotalSeconds:F1} s");
        await PlansAsync(database);

        var baseUrl = $"http://127.0.0.1:{FreePort().ToString(CultureInfo.InvariantCulture)}";
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Rebooking"] = $"Data Source={database}",
            ["Demo__Seed"] = "false",
            ["Rebooking__RequestsPerMinutePerClient"] = "0",
            // Its default (1 s) in the documentation; without the setting the Api refuses to start on integration2.
            ["Worker__PollInterval"] = "00:00:01",
            ["Logging__LogLevel__Default"] = "Warning",
            ["HOME"] = Directory.CreateDirectory(Path.Combine(directory, "home")).FullName,
        };
        var add = await RunToEndAsync(apiDll, Path.GetDirectoryName(apiDll)!, environment, Password,
            "staff", "add", "--email", Email, "--name", "Regio Admin", "--role", "admin", "--tenant", "*", "--password-stdin");
        if (add.ExitCode != 0) { Console.Error.WriteLine($"staff add failed:\n{add.Output}"); return 1; }

        var log = new System.Collections.Concurrent.ConcurrentQueue<string>();
        // The content root is the working directory: the Api reads its appsettings.json from its own folder.
        using var api = ReleaseProcess.Start(apiDll, Path.GetDirectoryName(apiDll)!, environment, ["--urls", baseUrl], log);
        try
        {
            // The console's cookies are Secure (__Host-). A browser sends them to http://127.0.0.1 (a secure context);
            // .NET's CookieContainer would not, so the session is carried by hand, as wrk carries it below.
            var jar = new Dictionary<string, string>();
            using var http = new HttpClient(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl) };
            async Task<HttpResponseMessage> Send(HttpMethod method, string path, HttpContent? content = null)
            {
                using var request = new HttpRequestMessage(method, path) { Content = content };
                if (jar.Count > 0) request.Headers.Add("Cookie", string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}")));
                var answer = await http.SendAsync(request);
                foreach (var header in answer.Headers.TryGetValues("Set-Cookie", out var values) ? values : [])
                {
                    var pair = header.Split(';', 2)[0].Split('=', 2);
                    jar[pair[0]] = pair[1];
                }
                return answer;
            }
            await ReleaseProcess.WaitHealthyAsync(http, 300, api);
            if (!await ReleaseProcess.HealthyAsync(http)) { Console.Error.WriteLine("The Api did not start:\n" + string.Join("\n", log)); return 1; }
            var login = await (await Send(HttpMethod.Get, "/staff/login")).Content.ReadAsStringAsync();
            var signIn = await Send(HttpMethod.Post, "/staff/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = AntiforgeryField().Match(login).Groups[1].Value,
                ["email"] = Email, ["password"] = Password, ["returnUrl"] = "/staff",
            }));
            if (signIn.StatusCode != HttpStatusCode.Redirect) { Console.Error.WriteLine($"sign-in: {(int)signIn.StatusCode}"); return 1; }

            // The page as the admin sees it: every municipality listed, none counted as "no outage".
            var page = await Send(HttpMethod.Get, "/staff");
            var html = await page.Content.ReadAsStringAsync();
            var listed = Enumerable.Range(1, Tenants).Count(t => html.Contains(TenantName(t), StringComparison.Ordinal));
            Console.WriteLine($"GET /staff: {(int)page.StatusCode}, {html.Length:N0} characters, {listed} of {Tenants} municipalities listed");
            if (page.StatusCode != HttpStatusCode.OK || listed != Tenants) { Console.Error.WriteLine(html); return 2; }

            var script = Path.Combine(directory, "overview.lua");
            await File.WriteAllTextAsync(script, Script(string.Join("; ", jar.Select(c => $"{c.Key}={c.Value}"))));
            string[] Run(int connections, int duration) =>
                [$"-t{Math.Min(connections, 2)}", $"-c{connections}", $"-d{duration}s", "--timeout", "10s", "-s", script, baseUrl + "/staff"];
            Console.WriteLine($"== warm-up: 8 connections, {seconds} s");
            Console.WriteLine(await Wrk.RunAsync(Run(8, seconds)));
            Console.WriteLine($"== measured: 1 connection (one admin refreshing back to back), {seconds} s");
            Console.WriteLine(await Wrk.RunAsync(Run(1, seconds)));
            Console.WriteLine($"== measured: 8 connections, {seconds} s");
            Console.WriteLine(await Wrk.RunAsync(Run(8, seconds)));
            // For attribution: a console page of the same shell and session check without the figures.
            Console.WriteLine($"== for comparison: GET /staff/password (shell and session check, no figures), 1 connection, {seconds} s");
            Console.WriteLine(await Wrk.RunAsync([.. Run(1, seconds)[..^1], baseUrl + "/staff/password"]));
            return 0;
        }
        finally
        {
            try { api.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await api.WaitForExitAsync();
            try { Directory.Delete(directory, true); } catch (IOException) { }
        }
    }

    static string TenantName(int t) => $"Gemeinde {t:00}";

    /// <summary>
    /// Set-based: the rows the worker would have left behind once every outage is processed and the messages are out.
    /// Bookings are spread over the tenants unevenly (tenant t gets a share proportional to t), then over its three
    /// outages; contact and outcome vary per row so that every figure on the page is non-trivial.
    /// </summary>
    static async Task SeedAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        var now = Iso(DateTime.UtcNow);
        var day = DateTime.UtcNow.Date.AddDays(1);
        var p = new { Now = now, Start = Iso(day.AddHours(6)), End = Iso(day.AddHours(18)), Incident = Guid.NewGuid().ToString(), Tenants, Affected };
        await connection.ExecuteAsync("""
            WITH RECURSIVE n(t) AS (SELECT 1 UNION ALL SELECT t + 1 FROM n WHERE t < @Tenants)
            INSERT INTO tenants (id, name, time_zone, default_country_code, contact_phone, created_at, updated_at)
            SELECT printf('t%02d', t), printf('Gemeinde %02d', t), 'Europe/Berlin', '49', '02305 4748', @Now, @Now FROM n;
            INSERT INTO offices (tenant_id, id, name) SELECT id, 'a', 'Bürgerbüro Mitte' FROM tenants;
            INSERT INTO offices (tenant_id, id, name) SELECT id, 'b', 'Bürgerbüro Nord' FROM tenants;
            INSERT INTO services (tenant_id, id, name, duration_minutes) SELECT id, 's', 'Personalausweis', 15 FROM tenants;
            INSERT INTO incidents (id, created_at, created_by) VALUES (@Incident, @Now, 'benchmark');
            WITH RECURSIVE k(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM k WHERE k < 2)
            INSERT INTO outages (id, tenant_id, incident_id, start_utc, end_utc, covered_until_utc, reason, public_message, notify, status,
                                 desired_version, synced_version, processing_started_at, processing_completed_at, created_at, created_by, updated_at)
            SELECT lower(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-8' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(6))),
                   t.id, CASE WHEN k.k = 0 THEN @Incident END, @Start, @End, @End, 'Cyberangriff', 'Ihr Termin fällt aus.', 1, 'active',
                   1, 1, @Now, @Now, @Now, 'benchmark', @Now
            FROM tenants t CROSS JOIN k;
            """, p, transaction);
        // Tenant t holds the bookings [(t-1)t/2, t(t+1)/2) × 100,000 / (72·73/2): a share proportional to t.
        await connection.ExecuteAsync("""
            WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < @Affected - 1),
            m(t) AS (SELECT 1 UNION ALL SELECT t + 1 FROM m WHERE t < @Tenants),
            ranges AS (SELECT t, (t - 1) * t * @Affected / (@Tenants * (@Tenants + 1)) AS lo, t * (t + 1) * @Affected / (@Tenants * (@Tenants + 1)) AS hi FROM m),
            placed AS (SELECT n.i, r.t FROM n JOIN ranges r ON n.i >= r.lo AND n.i < r.hi)
            INSERT INTO bookings (id, tenant_id, external_ref, office_id, service_id, start_utc, end_utc, name, phone, phone_kind, language, status, created_at, updated_at)
            SELECT i + 1, printf('t%02d', t), printf('B%06d', i), CASE WHEN i % 2 = 0 THEN 'a' ELSE 'b' END, 's',
                   strftime('%Y-%m-%dT%H:%M:%S.0000000Z', @Base, printf('+%d minutes', (i % 48) * 15)),
                   strftime('%Y-%m-%dT%H:%M:%S.0000000Z', @Base, printf('+%d minutes', (i % 48) * 15 + 15)),
                   printf('Person %d', i), CASE WHEN i % 10 = 9 THEN NULL ELSE printf('+49171%07d', i) END,
                   CASE WHEN i % 10 = 9 THEN NULL ELSE 'mobile' END, 'de', 'cancelled', @Now, @Now
            FROM placed;
            """, new { Base = day.AddHours(6).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), p.Now, Affected, Tenants }, transaction, commandTimeout: 600);
        // Each booking to one of its tenant's three outages; 60% delivered, 15% notified, 10% unreachable (no contact),
        // 5% failed, 10% pending; 30% rebooked, 5% declined, 2% reinstated, the rest open.
        await connection.ExecuteAsync("""
            WITH o AS (SELECT id, tenant_id, ROW_NUMBER() OVER (PARTITION BY tenant_id ORDER BY id) - 1 AS k FROM outages)
            INSERT INTO affected_bookings (id, outage_id, booking_id, tenant_id, office_id, service_id, start_utc, outcome, contact, unreachable_reason, batch, created_at, updated_at)
            SELECT b.id, o.id, b.id, b.tenant_id, b.office_id, b.service_id, b.start_utc,
                   CASE WHEN b.id % 100 < 30 THEN 'rebooked' WHEN b.id % 100 < 35 THEN 'declined' WHEN b.id % 100 < 37 THEN 'reinstated' ELSE 'open' END,
                   CASE WHEN b.id % 10 = 9 THEN 'unreachable' WHEN b.id % 20 = 3 THEN 'unreachable' WHEN b.id % 10 = 1 THEN 'pending'
                        WHEN b.id % 20 IN (0, 4, 8) THEN 'notified' ELSE 'delivered' END,
                   CASE WHEN b.id % 10 = 9 THEN 'no-contact' WHEN b.id % 20 = 3 THEN 'failed' END,
                   'seed', @Now, @Now
            FROM bookings b JOIN o ON o.tenant_id = b.tenant_id AND o.k = b.id % 3;
            """, new { p.Now }, transaction, commandTimeout: 600);
        await transaction.CommitAsync();
        await connection.ExecuteAsync("ANALYZE", commandType: System.Data.CommandType.Text);
        var count = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM affected_bookings");
        var outages = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM outages WHERE status <> 'resolved'");
        var smallest = await connection.ExecuteScalarAsync<long>("SELECT MIN(c) FROM (SELECT COUNT(*) AS c FROM affected_bookings GROUP BY tenant_id)");
        var largest = await connection.ExecuteScalarAsync<long>("SELECT MAX(c) FROM (SELECT COUNT(*) AS c FROM affected_bookings GROUP BY tenant_id)");
        if (count != Affected || outages != Tenants * OutagesPerTenant) throw new InvalidOperationException($"seeded {count} affected rows, {outages} outages");
        Console.WriteLine($"affected rows per tenant: {smallest:N0} to {largest:N0}");
    }

    /// <summary>The overview's statements on the seeded database, in this process: SQLite's plan and the median of 15 runs after a first one.</summary>
    static async Task PlansAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
        await connection.OpenAsync();
        foreach (var (name, sql) in new[]
        {
            ("tenants", Rebooking.Tenants.TenantSql.SelectTenants), ("active outages by tenant", OutageSql.ActiveOutagesByTenant),
            ("active stats by tenant", OutageSql.ActiveStatsByTenant), ("active incidents", OutageSql.SelectActiveIncidents),
        })
        {
            var plan = (await connection.QueryAsync<(long, long, long, string)>("EXPLAIN QUERY PLAN " + sql)).Select(r => r.Item4);
            var rows = (await connection.QueryAsync(sql)).Count();
            var times = new List<double>();
            for (var i = 0; i < 15; i++)
            {
                var clock = Stopwatch.StartNew();
                await connection.QueryAsync(sql);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
            times.Sort();
            Console.WriteLine($"{name}: median {times[times.Count / 2]:F1} ms (min {times[0]:F1}) of 15 runs, {rows} rows; plan: {string.Join(" | ", plan)}");
        }
    }

    static string Iso(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    // wrk's --latency shows p50/p75/p90/p99 only; the script prints p95 too.
    static string Script(string cookie) => $$"""
        wrk.headers["Cookie"] = "{{cookie}}"
        done = function(summary, latency, requests)
          local seconds = summary.duration / 1000000
          io.write(string.format("requests: %d in %.1f s, %.1f requests/s; non-2xx or errors: %d\n", summary.requests, seconds,
            summary.requests / seconds, summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
          io.write(string.format("latency ms: p50 %.1f  p95 %.1f  p99 %.1f  max %.1f\n", latency:percentile(50) / 1000,
            latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
        end
        """;

    static async Task<(int ExitCode, string Output)> RunToEndAsync(string dll, string directory, Dictionary<string, string> environment, string input, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet", [dll, .. args])
        {
            WorkingDirectory = directory, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        await process.StandardInput.WriteLineAsync(input);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
