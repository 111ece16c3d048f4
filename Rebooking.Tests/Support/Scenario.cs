using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Rebooking.Outages;

namespace Rebooking.Tests.Support;

/// <summary>Builds bookings and outages for a tenant through the public API and checks what users would see.</summary>
public static partial class Scenario
{
    public static readonly TimeSpan Summer = TimeSpan.FromHours(2);

    /// <summary>A booking row for the import; times are local Berlin summer time on 2021-05-06 unless given in full.</summary>
    public static object Booking(string reference, string office, string service, string start, string? phone = "0171 2345678", string? email = null,
        string language = "de") => new
    {
        externalRef = reference, officeId = office, serviceId = service, start = Full(start),
        end = DateTimeOffset.Parse(Full(start)).AddMinutes(15).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
        name = "Bürger " + reference, phone, email, language,
    };

    public static string Full(string time) => time.Contains('T') ? time : $"2021-05-06T{time}:00+02:00";

    /// <summary>The start of the <paramref name="index"/>th of many bookings six seconds apart from <paramref name="first"/> (as <see cref="Full"/> reads it).</summary>
    public static string SixSecondsApart(string first, int index) =>
        DateTimeOffset.Parse(Full(first), System.Globalization.CultureInfo.InvariantCulture).AddSeconds(index * 6)
            .ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The environment of a real Rebooking.Worker on the app's database: batches of ten and a 200 ms poll, so
    /// a test can catch it in the middle of an outage; leases as the test needs them.
    /// </summary>
    public static Dictionary<string, string?> WorkerEnvironment(this RebookingApp app, TimeSpan outageLease, TimeSpan? notificationLease = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Rebooking"] = app.Database.ConnectionString,
            ["Outages__BatchSize"] = "10",
            ["Outages__Lease"] = outageLease.ToString("c"),
            ["Worker__PollInterval"] = "00:00:00.200",
        };
        if (notificationLease is { } lease) environment["Notifications__Lease"] = lease.ToString("c");
        return environment;
    }

    public static object Declare(string start, string? end, string[]? offices = null, string[]? services = null, string[]? exempt = null, bool notify = true) => new
    {
        start = Full(start), end = end is null ? null : Full(end), officeIds = offices, serviceIds = services, exemptServiceIds = exempt,
        reason = "Ausfall im Rechenzentrum", publicMessage = "Wegen einer technischen Störung kann Ihr Termin nicht stattfinden.", notify,
    };

    public static async Task<Guid> DeclareAsync(this RebookingApp app, string tenant, object body, HttpClient? client = null)
    {
        var response = await (client ?? app.Admin()).PostAsJsonAsync($"/api/tenants/{tenant}/outages", body);
        Assert.That((int)response.StatusCode, Is.EqualTo(202), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static OutageProcessor Processor(this RebookingApp app, string name = "test-worker", int batchSize = 1000) =>
        new(app.Db, app.Clock, Options.Create(new OutageOptions { BatchSize = batchSize, Lease = TimeSpan.FromSeconds(30) }),
            new WorkerIdentity(name), NullLogger<OutageProcessor>.Instance, voice: app.Services.GetService<Rebooking.Voice.VoiceHandoff>());

    public static Task<int> ProcessAsync(this RebookingApp app) => app.Processor().RunPendingAsync();

    public static async Task<JsonElement> StatsAsync(this RebookingApp app, string tenant, Guid outage)
    {
        var stats = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}/outages/{outage}/stats");
        AssertInvariants(stats);
        return stats;
    }

    /// <summary>
    /// Polls the outage's stats until <paramref name="done"/>, checking the invariants on every answer, while
    /// real worker processes do the work; fails with the figures and the workers' output when one of them
    /// exits or the time runs out.
    /// </summary>
    public static async Task<JsonElement> WaitForStatsAsync(this RebookingApp app, string tenant, Guid outage, Func<JsonElement, bool> done,
        TimeSpan timeout, params AppProcess[] workers)
    {
        var stats = default(JsonElement);
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            stats = await app.Admin().GetFromJsonAsync<JsonElement>($"/api/tenants/{tenant}/outages/{outage}/stats");
            AssertInvariants(stats);
            if (done(stats)) return stats;
            foreach (var worker in workers) Assert.That(worker.HasExited, Is.False, worker.Output);
            await Task.Delay(200);
        }
        Assert.Fail($"not done within {timeout}: {stats}\n{string.Join("\n---\n", workers.Select(w => w.Output))}");
        return stats;
    }

    /// <summary>The contract's invariants: affected = notified + unreachable + pending = open + rebooked + declined + reinstated; delivered ≤ notified.</summary>
    public static void AssertInvariants(JsonElement stats)
    {
        int Get(string group, string name) => stats.GetProperty(group).GetProperty(name).GetInt32();
        var affected = stats.GetProperty("affected").GetInt32();
        Assert.That(Get("contact", "notified") + Get("contact", "unreachable") + Get("contact", "pending"), Is.EqualTo(affected), stats.ToString());
        Assert.That(Get("outcome", "open") + Get("outcome", "rebooked") + Get("outcome", "declined") + Get("outcome", "reinstated"), Is.EqualTo(affected), stats.ToString());
        Assert.That(Get("contact", "delivered"), Is.LessThanOrEqualTo(Get("contact", "notified")), stats.ToString());
        Assert.That(stats.GetProperty("byOffice").EnumerateArray().Sum(o => o.GetProperty("affected").GetInt32()), Is.EqualTo(affected), stats.ToString());
    }

    /// <summary>The external refs of the bookings an outage has cancelled (outcome open).</summary>
    public static async Task<List<string>> AffectedRefsAsync(this RebookingApp app, Guid outage)
    {
        await using var connection = await app.Db.OpenAsync();
        return (await connection.QueryAsync<string>(
            "SELECT b.external_ref FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id WHERE a.outage_id = @Id AND a.outcome = 'open' ORDER BY b.external_ref",
            new { Id = outage })).ToList();
    }

    public static async Task<T> ScalarAsync<T>(this RebookingApp app, string sql, object? parameters = null)
    {
        await using var connection = await app.Db.OpenAsync();
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }

    /// <summary>The personal token in a message body's <c>/r/{token}</c> link, as a citizen would follow it.</summary>
    public static string LinkToken(string body)
    {
        var match = LinkPattern().Match(body);
        Assert.That(match.Success, Is.True, "the message carries a personal link");
        return match.Groups[1].Value;
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"/r/([A-Za-z0-9_-]+)")]
    private static partial System.Text.RegularExpressions.Regex LinkPattern();
}
