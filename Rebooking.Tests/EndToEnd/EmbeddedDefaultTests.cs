using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Dapper;
using Microsoft.Data.Sqlite;
using Rebooking.Tenants;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.EndToEnd;

/// <summary>What a newcomer gets from <c>dotnet run --project Rebooking.Api</c> on a fresh clone, with no configuration.</summary>
public sealed partial class EmbeddedDefaultTests
{
    [Test]
    public async Task RealApiProcess_InAnEmptyDirectory_CreatesTheDatabasePrintsAKeyAndSeedsTheDemoDay()
    {
        var directory = Directory.CreateTempSubdirectory("rebooking-e2e-").FullName;
        var port = AppProcess.FreePort();
        var baseUrl = $"http://127.0.0.1:{port}";
        await using var api = AppProcess.Start("Rebooking.Api", directory, new Dictionary<string, string?>(), "--urls", baseUrl);
        await api.WaitForHealthyAsync(baseUrl + "/health", TimeSpan.FromSeconds(60));

        var key = PrintedKey().Match(api.Output);
        Assert.That(key.Success, Is.True, "the bootstrap admin key is printed once:\n" + api.Output);
        Assert.That(File.Exists(Path.Combine(directory, "data", "rebooking.db")), Is.True);

        using var client = new HttpClient { BaseAddress = new Uri(baseUrl) };
        client.DefaultRequestHeaders.Add("X-Api-Key", key.Groups[1].Value);
        var tenant = await client.GetFromJsonAsync<JsonElement>($"/api/tenants/{DemoTenant.Slug}");
        Assert.That(tenant.GetProperty("name").GetString(), Is.EqualTo("Stadt Castrop-Rauxel"));
        Assert.That(tenant.GetProperty("offices").GetArrayLength(), Is.EqualTo(2));
        var health = await client.GetFromJsonAsync<JsonElement>("/health");
        Assert.That(health.GetProperty("scheduler").GetString(), Is.EqualTo("running"), "the embedded default hosts the worker");
        Assert.That(health.GetProperty("status").GetString(), Is.EqualTo("healthy"));

        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "data", "rebooking.db")};Mode=ReadOnly");
        await connection.OpenAsync();
        var days = (await connection.QueryAsync<(string Day, int Count)>(
            "SELECT substr(start_utc, 1, 10), COUNT(*) FROM bookings WHERE tenant_id = 'castrop-rauxel' AND status = 'booked' GROUP BY 1")).ToList();
        Assert.That(days, Has.Count.EqualTo(1), "all demo bookings are on one day");
        Assert.That(days[0].Count, Is.EqualTo(DemoTenant.BookingCount));
        var kinds = (await connection.QueryAsync<string>("SELECT DISTINCT COALESCE(phone_kind, CASE WHEN email IS NULL THEN 'none' ELSE 'email' END) FROM bookings")).ToList();
        Assert.That(kinds, Is.EquivalentTo(new[] { "mobile", "landline", "email", "none" }));

        // A clerk's preview of the whole demo day counts the 167 bookings, through the real process.
        var day = DateOnly.Parse(days[0].Day);
        var preview = await client.PostAsJsonAsync($"/api/tenants/{DemoTenant.Slug}/outages/preview", new
        {
            start = $"{day:yyyy-MM-dd}T00:00:00Z", end = $"{day.AddDays(1):yyyy-MM-dd}T00:00:00Z",
            reason = "Ausfall im Rechenzentrum des Kreises", publicMessage = "Ihr Termin kann nicht stattfinden.",
        });
        Assert.That(preview.StatusCode, Is.EqualTo(HttpStatusCode.OK), await preview.Content.ReadAsStringAsync());
        Assert.That((await preview.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("affected").GetInt32(), Is.EqualTo(DemoTenant.BookingCount));

        Assert.That((await new HttpClient().GetAsync(baseUrl + "/openapi/v1.json")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        try { Directory.Delete(directory, true); } catch (IOException) { }
    }

    [GeneratedRegex(@"X-Api-Key: (rbk_[A-Za-z0-9_-]+)")]
    private static partial Regex PrintedKey();
}
