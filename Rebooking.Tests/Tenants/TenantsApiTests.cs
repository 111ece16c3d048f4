using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Dapper;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Tenants;

public sealed class TenantsApiTests
{
    RebookingApp app = null!;

    [SetUp]
    public async Task Start() => app = await RebookingApp.StartAsync();

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task PutTenant_New_Is201ThenReplacementIs200AndRetiresMissingOffices()
    {
        var created = await app.Admin().PutAsJsonAsync("/api/tenants/velbert", RebookingApp.TenantBody());
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));

        var replacement = new
        {
            name = "Stadt Velbert", timeZone = "Europe/Berlin", defaultCountryCode = "49",
            offices = new[] { new { id = "mitte", name = "Servicebüro Mitte (neu)", address = (string?)null } },
            services = new[] { new { id = "personalausweis", name = "Personalausweis", durationMinutes = 20 } },
        };
        var replaced = await app.Admin().PutAsJsonAsync("/api/tenants/velbert", replacement);
        Assert.That(replaced.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        var tenant = await replaced.Content.ReadFromJsonAsync<JsonElement>();
        var offices = tenant.GetProperty("offices").EnumerateArray().ToDictionary(o => o.GetProperty("id").GetString()!, o => o.GetProperty("active").GetBoolean());
        Assert.That(offices, Is.EqualTo(new Dictionary<string, bool> { ["langenberg"] = false, ["mitte"] = true, ["neviges"] = false }));
    }

    [Test]
    public async Task PutTenant_Invalid_Is400NamingEveryFieldAndStoresNothing()
    {
        var body = new
        {
            name = "", timeZone = "Europe/Velbert", defaultCountryCode = "+49",
            contact = new { email = "not-an-email", web = "ftp://x" },
            offices = new[] { new { id = "mitte", name = "A" }, new { id = "mitte", name = "" }, new { id = "bad id!", name = "C" } },
            services = Array.Empty<object>(),
        };
        var response = await app.Admin().PutAsJsonAsync("/api/tenants/velbert", body);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(response.Content.Headers.ContentType!.MediaType, Is.EqualTo("application/problem+json"));
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.SupersetOf(new[]
        {
            "name", "timeZone", "defaultCountryCode", "contact.email", "contact.web", "offices", "offices[1].name", "offices[2].id", "services",
        }));
        await using var connection = await app.Db.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM tenants"), Is.Zero);
    }

    [Test]
    public async Task PutTenant_WrongTypeInBody_Is400NamingThePath()
    {
        var response = await app.Admin().PutAsync("/api/tenants/velbert", new StringContent(
            """{"name":"V","timeZone":"Europe/Berlin","defaultCountryCode":"49","offices":[{"id":"m","name":"M"}],"services":[{"id":"s","name":"S","durationMinutes":"lang"}]}""",
            Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").TryGetProperty("services[0].durationMinutes", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task ImportSlots_JsonWithBadRows_StoresValidRowsAndReportsEachBadOne()
    {
        await app.PutTenantAsync();
        var rows = new object?[]
        {
            new { officeId = "mitte", serviceId = (string?)null, start = "2021-05-06T08:00:00+02:00", end = "2021-05-06T08:15:00+02:00", capacity = 2 },
            new { officeId = "nowhere", serviceId = "personalausweis", start = "2021-05-06T08:00:00+02:00", end = "2021-05-06T08:15:00+02:00", capacity = 1 },
            new { officeId = "mitte", serviceId = "personalausweis", start = "2021-05-06T08:00:00", end = "2021-05-06T08:15:00+02:00", capacity = 1 },
            new { officeId = "mitte", serviceId = "trauung", start = "2021-05-06T09:00:00+02:00", end = "2021-05-06T08:15:00+02:00", capacity = -1 },
            42,
            new { officeId = "mitte", serviceId = (string?)null, start = "2021-05-06T08:00:00+02:00", end = "2021-05-06T08:15:00+02:00", capacity = 9 },
        };

        var answer = await app.ImportAsync("velbert", "slots", rows);

        Assert.That((answer.Imported, answer.Updated), Is.EqualTo((1, 0)));
        Assert.That(answer.Errors.Select(e => (e.Index, e.Field)), Is.EquivalentTo(new[]
        {
            (1, "officeId"), (2, "start"), (3, "end"), (3, "capacity"), (4, ""), (5, "start"),
        }));
        await using var connection = await app.Db.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM slots"), Is.EqualTo(1));
    }

    [TestCase("{\"officeId\":\"mitte\"}")]
    [TestCase("[{\"officeId\":")]
    [TestCase("")]
    public async Task Import_BodyNotAWellFormedArray_Is400AndStoresNothing(string body)
    {
        await app.PutTenantAsync();
        var response = await app.Admin().PostAsync("/api/tenants/velbert/bookings/import", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").TryGetProperty("body", out _), Is.True);
        await using var connection = await app.Db.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM bookings"), Is.Zero);
    }

    [Test]
    public async Task ImportBookings_Csv_NormalisesPhonesAndReportsRowErrors()
    {
        await app.PutTenantAsync();
        const string csv = """
            externalRef;officeId;serviceId;start;end;name;phone;email;language
            A-1;mitte;personalausweis;2021-05-06T08:00:00+02:00;2021-05-06T08:15:00+02:00;Erika Mustermann;0171 2345678;;de
            A-2;mitte;geburt;2021-05-06T08:15:00+02:00;2021-05-06T08:45:00+02:00;"Müller, Hans";02051 26-0;hans@example.org;
            A-3;mitte;trauung;2021-05-06T09:00:00+02:00;2021-05-06T09:45:00+02:00;Ayşe Yılmaz;bitte anrufen;ayse@;tr
            A-1;mitte;personalausweis;2021-05-06T08:00:00+02:00;2021-05-06T08:15:00+02:00;Doppelt;;;de
            """;
        var response = await app.Admin().PostAsync("/api/tenants/velbert/bookings/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var answer = (await response.Content.ReadFromJsonAsync<ImportAnswer>())!;

        Assert.That((answer.Imported, answer.Updated), Is.EqualTo((2, 0)));
        Assert.That(answer.Errors.Select(e => (e.Index, e.Field)), Is.EquivalentTo(new[] { (2, "phone"), (2, "email"), (3, "externalRef") }));
        Assert.That(answer.Errors.Single(e => e.Field == "phone").Message, Does.Not.Contain("bitte anrufen"), "import answers do not echo personal data");
        await using var connection = await app.Db.OpenAsync();
        var stored = (await connection.QueryAsync<(string Ref, string Name, string Phone, string Kind, string Language)>(
            "SELECT external_ref, name, phone, phone_kind, language FROM bookings ORDER BY external_ref")).ToList();
        Assert.That(stored, Is.EqualTo(new[]
        {
            ("A-1", "Erika Mustermann", "+491712345678", "mobile", "de"),
            ("A-2", "Müller, Hans", "+492051260", "landline", "de"),
        }));
    }

    [Test]
    public async Task ImportBookings_TenThousandRows_AreStoredThenUpdatedByExternalRef()
    {
        await app.PutTenantAsync();
        object Rows(string suffix) => Enumerable.Range(0, 10_000).Select(i => new
        {
            externalRef = $"B-{i:00000}", officeId = i % 2 == 0 ? "mitte" : "neviges", serviceId = "personalausweis",
            start = new DateTimeOffset(2021, 5, 6, 8, 0, 0, TimeSpan.FromHours(2)).AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            end = new DateTimeOffset(2021, 5, 6, 8, 15, 0, TimeSpan.FromHours(2)).AddMinutes(i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            name = "Person " + i + suffix, phone = $"0171 {1000000 + i}", email = (string?)null, language = "de",
        }).ToArray();

        var first = await app.ImportAsync("velbert", "bookings", Rows(""));
        var second = await app.ImportAsync("velbert", "bookings", Rows(" (neu)"));

        Assert.That((first.Imported, first.Updated, first.Errors.Count), Is.EqualTo((10_000, 0, 0)));
        Assert.That((second.Imported, second.Updated, second.Errors.Count), Is.EqualTo((0, 10_000, 0)));
        await using var connection = await app.Db.OpenAsync();
        Assert.That(await connection.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE name LIKE '% (neu)'"), Is.EqualTo(10_000));
    }

    [Test]
    public async Task ImportBookings_OccupySlotsAndCountsFollowReimports()
    {
        await app.PutTenantAsync();
        await app.ImportAsync("velbert", "slots", new[]
        {
            new { officeId = "mitte", serviceId = (string?)null, start = "2021-05-06T08:00:00+02:00", end = "2021-05-06T08:15:00+02:00", capacity = 2 },
            new { officeId = "mitte", serviceId = (string?)"geburt", start = "2021-05-06T08:00:00+02:00", end = "2021-05-06T08:30:00+02:00", capacity = 1 },
        });
        object Booking(string reference, string service, string start) => new
        {
            externalRef = reference, officeId = "mitte", serviceId = service, start, end = "2021-05-06T08:15:00+02:00", name = "N",
        };

        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("A", "personalausweis", "2021-05-06T08:00:00+02:00"),
            Booking("B", "geburt", "2021-05-06T08:00:00+02:00"),
        });
        var counts = await SlotCounts();
        Assert.That(counts, Is.EqualTo(new[] { ("*", 1), ("geburt", 1) }), "the service's own slot is preferred over the any-service slot");

        await app.ImportAsync("velbert", "bookings", new[] { Booking("A", "personalausweis", "2021-05-06T07:45:00+02:00") });
        Assert.That(await SlotCounts(), Is.EqualTo(new[] { ("*", 0), ("geburt", 1) }), "a moved booking frees its old slot");
    }

    async Task<List<(string, int)>> SlotCounts()
    {
        await using var connection = await app.Db.OpenAsync();
        return (await connection.QueryAsync<(string, int)>("SELECT COALESCE(service_id, '*'), booked FROM slots ORDER BY 1")).ToList();
    }
}
