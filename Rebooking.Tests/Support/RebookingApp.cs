using Microsoft.Extensions.Time.Testing;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Rebooking.Access;
using Rebooking.Data;

namespace Rebooking.Tests.Support;

/// <summary>
/// The Api in-memory over its own fresh database. <see cref="ClientFor"/> issues a real API key for a role
/// and tenant; <see cref="PutTenantAsync"/> and the import helpers create data through the public API.
/// </summary>
public sealed class RebookingApp : WebApplicationFactory<Program>
{
    public const string AdminKey = "test-admin-key-0123456789abcdef";

    readonly Dictionary<string, string?> settings;
    readonly Action<IServiceCollection>? services;

    RebookingApp(TestDatabase database, FakeTimeProvider clock, Dictionary<string, string?> settings, Action<IServiceCollection>? services)
    {
        Database = database;
        Clock = clock;
        this.settings = settings;
        this.services = services;
    }

    public TestDatabase Database { get; }

    /// <summary>Every log line the app wrote, with its scopes, as an operator's log shipper would see it.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Logs { get; } = new();
    /// <summary>The app's clock: moves only when the test moves it (timers and timestamps too).</summary>
    public FakeTimeProvider Clock { get; }

    /// <summary>
    /// With <paramref name="kestrel"/> the app listens on a real loopback port (<see cref="BaseUrl"/>), for a browser;
    /// <paramref name="services"/> changes registrations after the app's own (e.g. a work queue that drops signals).
    /// </summary>
    public static async Task<RebookingApp> StartAsync(
        DatabaseProvider provider = DatabaseProvider.Sqlite, IDictionary<string, string?>? settings = null, DateTimeOffset? now = null, bool kestrel = false,
        Action<IServiceCollection>? services = null)
    {
        var database = await TestDatabase.CreateAsync(provider);
        var all = new Dictionary<string, string?>
        {
            ["Database:Provider"] = database.ProviderName,
            ["ConnectionStrings:Rebooking"] = database.ConnectionString,
            ["Demo:AdminApiKey"] = AdminKey,
            ["Demo:Seed"] = "false",
            // Tests drive processing themselves (see Outages()); a test that wants the worker turns it on.
            ["Worker:InProcess"] = "false",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) all[key] = value;
        var app = new RebookingApp(database, new FakeTimeProvider(now ?? new DateTimeOffset(2021, 5, 5, 10, 0, 0, TimeSpan.Zero)), all, services);
        if (kestrel) app.UseKestrel(0);
        app.StartServer(); // start now, so migrations and the bootstrap key exist before the first request
        return app;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
        if (services is { } more) Microsoft.AspNetCore.TestHost.WebHostBuilderExtensions.ConfigureTestServices(builder, more);
        builder.ConfigureLogging(logging => logging.AddProvider(new CapturingLoggerProvider(Logs)));
    }

    public Db Db => Services.GetRequiredService<Db>();

    /// <summary>The real address when started with Kestrel.</summary>
    public string BaseUrl => Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
        .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();

    public HttpClient Admin()
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", AdminKey);
        return client;
    }

    public HttpClient Anonymous() => CreateClient();

    /// <summary>A client with a freshly issued key of <paramref name="role"/> for <paramref name="tenant"/>.</summary>
    public async Task<HttpClient> ClientFor(string role, string tenant)
    {
        var (_, key) = await Services.GetRequiredService<ApiKeyStore>().CreateAsync(role, tenant, $"test {role}", "test");
        var client = CreateClient();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    public static object TenantBody(string name = "Stadt Velbert") => new
    {
        name,
        timeZone = "Europe/Berlin",
        defaultCountryCode = "49",
        contact = new { phone = "02051 26-0", email = "buergerbuero@velbert.de", web = "https://www.velbert.de" },
        offices = new[]
        {
            new { id = "mitte", name = "Servicebüro Mitte", address = "Thomasstraße 1, 42551 Velbert" },
            new { id = "langenberg", name = "Servicebüro Langenberg", address = "Froweinplatz 1, 42555 Velbert" },
            new { id = "neviges", name = "Servicebüro Neviges", address = "Tönisheider Straße 1, 42553 Velbert" },
        },
        services = new[]
        {
            new { id = "personalausweis", name = "Personalausweis beantragen", durationMinutes = 15 },
            new { id = "geburt", name = "Geburt beurkunden", durationMinutes = 30 },
            new { id = "sterbefall", name = "Sterbefall beurkunden", durationMinutes = 30 },
            new { id = "trauung", name = "Trauung", durationMinutes = 45 },
        },
    };

    public async Task PutTenantAsync(string tenant = "velbert")
    {
        var response = await Admin().PutAsJsonAsync($"/api/tenants/{tenant}", TenantBody());
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
    }

    public async Task<ImportAnswer> ImportAsync(string tenant, string what, object rows)
    {
        var response = await Admin().PostAsJsonAsync($"/api/tenants/{tenant}/{what}/import", rows);
        Assert.That(response.IsSuccessStatusCode, Is.True, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<ImportAnswer>())!;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Database.DisposeAsync();
    }
}

public sealed record ImportAnswer(int Imported, int Updated, List<ImportErrorAnswer> Errors);
public sealed record ImportErrorAnswer(int Index, string Field, string Message);

/// <summary>Keeps formatted log lines, including scope values and exception text.</summary>
public sealed class CapturingLoggerProvider(System.Collections.Concurrent.ConcurrentQueue<string> lines) : ILoggerProvider, ISupportExternalScope
{
    IExternalScopeProvider scopes = new LoggerExternalScopeProvider();
    readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = lines;

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose() { }

    sealed class Logger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new System.Text.StringBuilder($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            provider.scopes.ForEachScope((scope, b) => b.Append(" | ").Append(scope is IEnumerable<KeyValuePair<string, object>> pairs
                ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : scope), line);
            provider.lines.Enqueue(line.ToString());
        }
    }
}
