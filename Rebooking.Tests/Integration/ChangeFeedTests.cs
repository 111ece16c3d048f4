using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Data;
using Rebooking.Integration;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Integration;

/// <summary><c>GET /api/tenants/{tenant}/changes</c>: paging, stability, concurrent writers, roles and bad input.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class ChangeFeedTests(DatabaseProvider provider)
{
    RebookingApp app = null!;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync(provider, now: DateTimeOffset.Parse("2021-05-06T06:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.PutTenantAsync("arnsberg");
    }

    [TearDown]
    public async Task Stop() { if (app is not null) await app.DisposeAsync(); }

    const string InsertChange = """
        INSERT INTO booking_changes (tenant_id, type, occurred_at, booking_id, booking_ref, outage_id)
        VALUES (@TenantId, 'booking.cancelled', @Now, @BookingId, @BookingRef, NULL)
        """;

    async Task InsertChangesAsync(string tenant, int count, int offset = 0)
    {
        await app.Db.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(InsertChange,
            Enumerable.Range(offset, count).Select(i => new { TenantId = tenant, Now = app.Clock.GetUtcNow(), BookingId = i, BookingRef = $"R{i:00000}" }),
            transaction));
    }

    sealed record Page(List<JsonElement> Changes, string Next);

    async Task<Page> ReadAsync(HttpClient client, string? after, int limit = 1000, string tenant = "velbert")
    {
        var url = $"/api/tenants/{tenant}/changes?limit={limit}" + (after is null ? "" : $"&after={after}");
        var response = await client.GetAsync(url);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<Page>(new JsonSerializerOptions(JsonSerializerDefaults.Web)))!;
    }

    [Test]
    public async Task Paging10000Changes_ByAThousand_HasNoGapNoDuplicate_AndTheSameCursorGivesTheSamePage()
    {
        await InsertChangesAsync("velbert", 10_000);
        await InsertChangesAsync("arnsberg", 50);
        var client = await app.ClientFor("integration", "velbert");

        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        while (true)
        {
            var page = await ReadAsync(client, after);
            if (page.Changes.Count == 0)
            {
                Assert.That(page.Next, Is.EqualTo(after), "an empty page keeps the cursor");
                break;
            }
            pages++;
            seen.AddRange(page.Changes.Select(c => c.GetProperty("bookingRef").GetString()!));
            var ids = page.Changes.Select(c => c.GetProperty("id").GetString()!).ToList();
            Assert.That(ids, Is.Ordered.Using<string>(StringComparer.Ordinal), "ids sort in the order the changes happened");
            Assert.That(page.Next, Is.EqualTo(ids[^1]));
            if (after is not null)
                Assert.That(JsonSerializer.Serialize((await ReadAsync(client, after)).Changes), Is.EqualTo(JsonSerializer.Serialize(page.Changes)), "same cursor, same page");
            after = page.Next;
        }

        Assert.That(pages, Is.EqualTo(10));
        Assert.That(seen, Is.EqualTo(Enumerable.Range(0, 10_000).Select(i => $"R{i:00000}")), "every change once, in order, and only velbert's");
    }

    [Test]
    public async Task ConcurrentWriters_WithReadersPagingMeanwhile_NoReaderMissesAChange()
    {
        const int writers = 4, perWriter = 150;
        var feed = app.Services.GetRequiredService<ChangeFeed>();
        var db = app.Db;
        var random = new Random(7);
        var delays = Enumerable.Range(0, writers * perWriter).Select(_ => random.Next(0, 3)).ToArray();
        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var n = w * perWriter + i;
                await db.InTransactionAsync(async (connection, transaction) =>
                {
                    await connection.ExecuteAsync(InsertChange, new { TenantId = "velbert", Now = DateTimeOffset.UtcNow, BookingId = n, BookingRef = $"W{n:0000}" }, transaction);
                    // Hold the transaction open a little, so that commits come in another order than the inserts.
                    await Task.Delay(delays[n]);
                });
            }
        })).ToArray();
        var allWritten = Task.WhenAll(writing);

        async Task<List<string>> ReaderAsync()
        {
            var got = new List<string>();
            var after = 0L;
            while (true)
            {
                var done = allWritten.IsCompleted;
                var page = (await feed.ReadAsync("velbert", after, 37))!;
                got.AddRange(page.Changes.Select(c => c.Id));
                ChangeCursor.TryParse(page.Next, out after);
                if (page.Changes.Count == 0 && done) return got;
                if (page.Changes.Count == 0) await Task.Delay(5);
            }
        }

        var readers = await Task.WhenAll(ReaderAsync(), ReaderAsync(), ReaderAsync());
        await allWritten;

        var all = (await feed.ReadAsync("velbert", 0, 1000))!.Changes.Select(c => c.Id).ToList();
        Assert.That(all, Has.Count.EqualTo(writers * perWriter));
        foreach (var reader in readers)
            Assert.That(reader, Is.EqualTo(all), "a reader paging while writers committed saw every change once, in feed order");
    }

    [Test]
    public async Task AChange_ReadsAsTheContractSays_InTheTenantsTime()
    {
        await InsertChangesAsync("velbert", 1);
        var page = await ReadAsync(app.Admin(), null);
        var change = page.Changes.Single();
        Assert.That(change.GetProperty("type").GetString(), Is.EqualTo("booking.cancelled"));
        Assert.That(change.GetProperty("tenant").GetString(), Is.EqualTo("velbert"));
        Assert.That(change.GetProperty("occurredAt").GetString(), Is.EqualTo("2021-05-06T06:00:00+02:00"));
        Assert.That(change.TryGetProperty("newBooking", out _), Is.False, "newBooking only for booking.rebooked");
        Assert.That(change.GetProperty("id").GetString(), Does.Match("^[0-9]{19}$"));
    }

    [TestCase("after=abc", "after")]
    [TestCase("after=-1", "after")]
    [TestCase("limit=0", "limit")]
    [TestCase("limit=1001", "limit")]
    [TestCase("limit=ten", "limit")]
    public async Task BadCursorOrLimit_IsA400NamingTheField(string query, string field)
    {
        var response = await app.Admin().GetAsync($"/api/tenants/velbert/changes?{query}");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task TheFeed_IsForIntegrationAndAdmin_OfTheirOwnTenant()
    {
        await InsertChangesAsync("velbert", 3);
        async Task<HttpStatusCode> Status(HttpClient client) => (await client.GetAsync("/api/tenants/velbert/changes")).StatusCode;

        Assert.That(await Status(app.Admin()), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Status(await app.ClientFor("admin", "velbert")), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Status(await app.ClientFor("integration", "velbert")), Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Status(await app.ClientFor("integration", "arnsberg")), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await Status(await app.ClientFor("admin", "arnsberg")), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await Status(await app.ClientFor("clerk", "velbert")), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await Status(await app.ClientFor("supervisor", "velbert")), Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await Status(app.Anonymous()), Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
