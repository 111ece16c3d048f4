using System.Net;
using Rebooking.Access;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Outages;

/// <summary>What a clerk noticed: the call list's wording and numbers, and date fields in the console's language.</summary>
public sealed class ConsoleWordingTests
{
    RebookingApp app = null!;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync(now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await ConsoleSession.AddAccountAsync(app, "clerk@velbert.example", Roles.Clerk, "velbert");
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    [Test]
    public async Task TheCallList_SaysOnlyALandline_NextToAPrintedLandline_AndGroupsTheNumberForReading()
    {
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("A-1", "mitte", "geburt", "09:00", phone: "02305 47482"),
            Booking("A-2", "mitte", "geburt", "09:15", phone: null),
        });
        var outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.ProcessAsync();
        var clerk = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        var page = WebUtility.HtmlDecode(await clerk.Client.GetStringAsync($"/staff/outages/{outage}/calls"));

        var landline = page[page.IndexOf("A-1", StringComparison.Ordinal)..];
        landline = landline[..landline.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.That(landline, Does.Contain("nur Festnetz").And.Not.Contain("keine Kontaktdaten"));
        Assert.That(page, Does.Contain(">+49 2305 47482<").And.Contain("href=\"tel:+49230547482\""));
        var nothing = page[page.IndexOf("A-2", StringComparison.Ordinal)..];
        Assert.That(nothing[..nothing.IndexOf("</tr>", StringComparison.Ordinal)], Does.Contain("keine Kontaktdaten"));
    }

    [Test]
    public async Task TheDeclareForm_ShowsAndReadsDates_InTheConsolesLanguage()
    {
        await app.ImportAsync("velbert", "bookings", new[] { Booking("A-1", "mitte", "geburt", "09:00") });
        var clerk = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        var german = await clerk.Client.GetStringAsync("/staff/tenants/velbert/outages/new");
        Assert.That(german, Does.Contain("placeholder=\"TT.MM.JJJJ hh:mm\"").And.Contain("value=\"05.05.2021 10:00\""));
        Assert.That(german, Does.Not.Contain("datetime-local"));

        await clerk.Client.GetAsync("/staff/language?to=en&returnUrl=/staff");
        var english = await clerk.Client.GetStringAsync("/staff/tenants/velbert/outages/new");
        Assert.That(english, Does.Contain("placeholder=\"DD/MM/YYYY hh:mm\"").And.Contain("value=\"05/05/2021 10:00\""));

        // Typed the English way, the declaration covers the same local window as the API's ISO times would.
        var declared = await clerk.PostFormAsync("/staff/tenants/velbert/outages/new", "/staff/tenants/velbert/outages",
            ("start", "06/05/2021 07:00"), ("end", "6/5/2021 18:00"), ("reason", "Rechenzentrum"), ("publicMessage", "Störung"), ("notify", "true"));
        Assert.That(declared.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await declared.Content.ReadAsStringAsync());
        Assert.That(await app.ScalarAsync<string>("SELECT start_utc FROM outages"), Does.StartWith("2021-05-06T05:00:00"));
        Assert.That(await app.ScalarAsync<string>("SELECT end_utc FROM outages"), Does.StartWith("2021-05-06T16:00:00"));
    }
}
