using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace Rebooking.Tests.Support;

/// <summary>
/// The production shape on one machine: several real Rebooking.Api processes, each with its own working and
/// home directory as separate machines would have (<c>Worker:InProcess=false</c>), and Rebooking.Worker
/// processes, all on one SQLite file. Everything is killed and deleted on dispose.
/// </summary>
public sealed class HostFarm : IAsyncDisposable
{
    public const string AdminKey = "farm-admin-key-0123456789abcdef";
    public const string Password = "correct horse battery";

    readonly string root;
    readonly Dictionary<string, string?> shared;

    HostFarm(string root, Dictionary<string, string?> shared)
    {
        this.root = root;
        this.shared = shared;
    }

    public List<AppProcess> Apis { get; } = [];
    public List<string> Urls { get; } = [];
    public List<string> Homes { get; } = [];
    public List<AppProcess> Workers { get; } = [];

    /// <summary>Starts the Api hosts one after another (the first migrates), then the workers.</summary>
    public static async Task<HostFarm> StartAsync(int apis, int workers, IDictionary<string, string?>? settings = null)
    {
        var root = System.IO.Directory.CreateTempSubdirectory("rebooking-farm-").FullName;
        var shared = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Rebooking"] = $"Data Source={Path.Combine(root, "rebooking.db")}",
            ["Demo__AdminApiKey"] = AdminKey,
            ["Demo__Seed"] = "false",
            ["Worker__InProcess"] = "false",
            ["Worker__PollInterval"] = "00:00:00.200",
            ["Outages__BatchSize"] = "10",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) shared[key] = value;
        var farm = new HostFarm(root, shared);
        for (var i = 0; i < apis; i++) await farm.StartApiAsync();
        for (var i = 0; i < workers; i++)
            farm.Workers.Add(AppProcess.Start("Rebooking.Worker", farm.Directory($"worker{i}"), farm.Environment($"worker{i}")));
        return farm;
    }

    async Task StartApiAsync()
    {
        var name = $"api{Apis.Count}";
        var port = AppProcess.FreePort();
        var url = $"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}";
        var api = AppProcess.Start("Rebooking.Api", Directory(name), Environment(name), "--urls", url);
        Apis.Add(api);
        Urls.Add(url);
        await api.WaitForHealthyAsync(url + "/health/ready", TimeSpan.FromSeconds(60));
    }

    string Directory(string name) => System.IO.Directory.CreateDirectory(Path.Combine(root, name)).FullName;

    /// <summary>The shared settings, plus a home directory of the process's own (where the framework would put keys by default).</summary>
    public Dictionary<string, string?> Environment(string name)
    {
        var home = System.IO.Directory.CreateDirectory(Path.Combine(root, name, "home")).FullName;
        if (name.StartsWith("api", StringComparison.Ordinal)) Homes.Add(home);
        return new Dictionary<string, string?>(shared) { ["HOME"] = home };
    }

    /// <summary>An admin API client of all tenants for host <paramref name="host"/>.</summary>
    public HttpClient Admin(int host)
    {
        var client = new HttpClient { BaseAddress = new Uri(Urls[host]) };
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    /// <summary>Creates a console account with `staff add`, as an operator would.</summary>
    public async Task AddStaffAsync(string email, string role, string tenant)
    {
        var (exitCode, output) = await AppProcess.RunAsync("Rebooking.Api", Directory("cli"), Environment("cli"), Password,
            "staff", "add", "--email", email, "--name", "Test " + role, "--role", role, "--tenant", tenant, "--password-stdin");
        Assert.That(exitCode, Is.Zero, output);
    }

    /// <summary>Sends <paramref name="body"/> as admin to host <paramref name="host"/> and fails the test unless it succeeds.</summary>
    public async Task<JsonElement> AdminAsync(int host, HttpMethod method, string path, object? body = null)
    {
        using var client = Admin(host);
        var answer = await client.SendAsync(new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) });
        var text = await answer.Content.ReadAsStringAsync();
        Assert.That(answer.IsSuccessStatusCode, Is.True, $"{method} {path}: {(int)answer.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Local Berlin wall-clock time <paramref name="days"/> days from today at <paramref name="time"/>, with its offset.</summary>
    public static DateTimeOffset BerlinDay(int days, TimeSpan time)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date.AddDays(days) + time;
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    public static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public string Output => string.Join("\n---\n", Apis.Concat(Workers).Select(p => p.Output));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in Apis.Concat(Workers)) await process.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try { System.IO.Directory.Delete(root, recursive: true); } catch (IOException) { }
    }
}
