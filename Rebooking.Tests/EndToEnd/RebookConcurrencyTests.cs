using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.EndToEnd;

/// <summary>A slot is never booked beyond its capacity, whatever the concurrency: real parallel requests to the real Api process.</summary>
public sealed class RebookConcurrencyTests
{
    [Test]
    public async Task TwoHundredCitizensAtOnce_ForASlotOfThree_ExactlyThreeGetIt()
    {
        const int citizens = 200;
        var directory = Directory.CreateTempSubdirectory("rebooking-race-").FullName;
        var baseUrl = $"http://127.0.0.1:{AppProcess.FreePort()}";
        await using var api = AppProcess.Start("Rebooking.Api", directory, new Dictionary<string, string?>
        {
            ["Demo__AdminApiKey"] = RebookingApp.AdminKey, ["Demo__Seed"] = "false", ["Rebooking__RequestsPerMinutePerClient"] = "0",
            ["Worker__PollInterval"] = "00:00:00.200",
        }, "--urls", baseUrl);
        await api.WaitForHealthyAsync(baseUrl + "/health", TimeSpan.FromSeconds(60));
        using var admin = new HttpClient { BaseAddress = new Uri(baseUrl) };
        admin.DefaultRequestHeaders.Add("X-Api-Key", RebookingApp.AdminKey);

        var day = DateTime.UtcNow.Date.AddDays(3);
        string At(int hour, int minute = 0) => day.AddHours(hour).AddMinutes(minute).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");
        Assert.That((await admin.PutAsJsonAsync("/api/tenants/velbert", RebookingApp.TenantBody())).IsSuccessStatusCode, Is.True);
        await admin.PostAsJsonAsync("/api/tenants/velbert/slots/import", new[] { new { officeId = "mitte", serviceId = (string?)null, start = At(14), end = At(14, 15), capacity = 3 } });
        await admin.PostAsJsonAsync("/api/tenants/velbert/bookings/import", Enumerable.Range(0, citizens).Select(i => new
        {
            externalRef = $"C{i:000}", officeId = "mitte", serviceId = "personalausweis", start = At(8, i % 60), end = At(9, i % 60),
            name = $"Bürger {i}", phone = $"0172 {3000000 + i}", language = "de",
        }).ToArray());
        var declared = await admin.PostAsJsonAsync("/api/tenants/velbert/outages", new
        {
            start = At(7), end = At(12), reason = "Stromausfall", publicMessage = "Ihr Termin kann nicht stattfinden.",
        });
        Assert.That(declared.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));

        // The in-process worker cancels and "sends" through the development outbox; wait for every link.
        var tokens = new List<string>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (tokens.Count < citizens && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
            var outbox = await admin.GetFromJsonAsync<JsonElement>("/api/dev/outbox");
            tokens = outbox.EnumerateArray().Select(m => Scenario.LinkToken(m.GetProperty("body").GetString()!)).Distinct().ToList();
        }
        Assert.That(tokens, Has.Count.EqualTo(citizens), api.Output);
        using var citizen = new HttpClient { BaseAddress = new Uri(baseUrl) };
        var slotId = (await citizen.GetFromJsonAsync<JsonElement>($"/api/rebook/{tokens[0]}")).GetProperty("offers")[0].GetProperty("slotId").GetString();

        using var start = new SemaphoreSlim(0);
        var attempts = tokens.Select(async token =>
        {
            await start.WaitAsync();
            return (await citizen.PostAsJsonAsync($"/api/rebook/{token}", new { slotId })).StatusCode;
        }).ToList();
        start.Release(citizens);
        var statuses = await Task.WhenAll(attempts);

        Assert.That(statuses.Count(s => s == HttpStatusCode.OK), Is.EqualTo(3));
        Assert.That(statuses.Count(s => s == HttpStatusCode.Conflict), Is.EqualTo(citizens - 3));
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "data", "rebooking.db")};Mode=ReadOnly");
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT booked FROM slots"), Is.EqualTo(3));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE origin = 'rebooking'"), Is.EqualTo(3));
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM affected_bookings WHERE outcome = 'rebooked'"), Is.EqualTo(3));
    }
}
