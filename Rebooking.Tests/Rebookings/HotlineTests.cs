using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Access;
using Rebooking.Data;
using Rebooking.Outages;
using Rebooking.Rebookings;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Rebookings;

/// <summary>The hotline's search and booking, the dashboard's timeline and staff accounts, on every configured provider.</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class HotlineTests(DatabaseProvider provider)
{
    RebookingApp app = null!;
    Guid outage;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync(provider, now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.PutTenantAsync("arnsberg");
        await app.ImportAsync("velbert", "slots", new[]
        {
            new { officeId = "mitte", serviceId = (string?)null, start = Full("2021-05-07T09:00:00+02:00"), end = Full("2021-05-07T09:15:00+02:00"), capacity = 1 },
        });
        await app.ImportAsync("velbert", "bookings", new[]
        {
            Booking("A-1", "mitte", "geburt", "09:00", phone: null),
            Booking("A-2", "mitte", "geburt", "09:15", phone: null),
            Booking("A-3", "mitte", "geburt", "09:30"),
        });
        await app.ImportAsync("arnsberg", "bookings", new[] { Booking("A-9", "mitte", "geburt", "09:00") });
        outage = await app.DeclareAsync("velbert", Declare("07:00", "18:00"));
        await app.DeclareAsync("arnsberg", Declare("07:00", "18:00"));
        await app.ProcessAsync();
    }

    [TearDown]
    public async Task Stop() { if (app is not null) await app.DisposeAsync(); }

    CitizenRebooking Rebooking => app.Services.GetRequiredService<CitizenRebooking>();

    [Test]
    public async Task Search_FindsByReferenceInAnyCase_OrByPartOfTheName_OnlyInTheTenant()
    {
        var byRef = await Rebooking.SearchAsync("velbert", "a-2");
        Assert.That(byRef.Select(b => b.BookingRef), Is.EqualTo(new[] { "A-2" }));
        var byName = await Rebooking.SearchAsync("velbert", "rger A");
        Assert.That(byName.Select(b => b.BookingRef), Is.EquivalentTo(new[] { "A-1", "A-2", "A-3" }));
        Assert.That(await Rebooking.SearchAsync("velbert", "A-9"), Is.Empty, "arnsberg's booking is not found from velbert");
        Assert.That(await Rebooking.SearchAsync("velbert", "%%"), Is.Empty, "LIKE wildcards are searched for literally");
        Assert.That(await Rebooking.SearchAsync("velbert", "x"), Is.Empty, "one character is too little to search");
    }

    [Test]
    public async Task AClerk_BooksForACitizenWithoutContact_OnceOnly_Audited_AndNeverBeyondCapacity()
    {
        var first = (await Rebooking.SearchAsync("velbert", "A-1")).Single();
        var second = (await Rebooking.SearchAsync("velbert", "A-2")).Single();
        var offer = (await Rebooking.OffersAsync(first)).Single();

        var (outcome, appointment) = await Rebooking.BookForCitizenAsync("velbert", first.AffectedId, offer.SlotId, "staff:clerk@velbert.example");
        Assert.That(outcome, Is.EqualTo(BookingOutcome.Booked));
        Assert.That(appointment!.BookingRef, Is.EqualTo($"A-1-R{first.AffectedId}"));
        Assert.That((await Rebooking.BookForCitizenAsync("velbert", first.AffectedId, offer.SlotId, "staff:x")).Outcome, Is.EqualTo(BookingOutcome.AlreadyDecided));
        Assert.That((await Rebooking.BookForCitizenAsync("velbert", second.AffectedId, offer.SlotId, "staff:x")).Outcome, Is.EqualTo(BookingOutcome.SlotGone),
            "the slot's single unit is taken");
        Assert.That((await Rebooking.BookForCitizenAsync("arnsberg", second.AffectedId, offer.SlotId, "staff:x")).Outcome, Is.EqualTo(BookingOutcome.Unknown),
            "another tenant cannot book velbert's citizen");

        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM audit_log WHERE action = 'rebooking.hotline' AND actor = 'staff:clerk@velbert.example'"), Is.EqualTo(1));
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM notifications WHERE kind = 'confirmation'"), Is.EqualTo(1));
        Assert.That(await app.ScalarAsync<int>("SELECT booked FROM slots"), Is.EqualTo(1));
        var stats = await app.StatsAsync("velbert", outage);
        AssertInvariants(stats);
        Assert.That(stats.GetProperty("outcome").GetProperty("rebooked").GetInt32(), Is.EqualTo(1));
    }

    [Test]
    public async Task TheHotlinePage_TellsTheClerkToGiveTheAppointmentByPhone_WhenThereIsNoContact()
    {
        await ConsoleSession.AddAccountAsync(app, "clerk@velbert.example", Roles.Clerk, "velbert");
        var clerk = await ConsoleSession.SignInAsync(app, "clerk@velbert.example");
        var citizen = (await Rebooking.SearchAsync("velbert", "A-1")).Single();
        var slot = (await Rebooking.OffersAsync(citizen)).Single().SlotId;
        var page = $"/staff/tenants/velbert/hotline/{citizen.AffectedId}";
        var booked = await clerk.PostFormAsync(page, page + "/book", ("slotId", slot.ToString()));
        Assert.That(booked.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var shown = WebUtility.HtmlDecode(await clerk.Client.GetStringAsync(page));
        Assert.That(shown, Does.Contain("Neuer Termin: Fr, 07.05.2021, 09:00 Uhr, Servicebüro Mitte").And.Contain("Nicht per SMS oder E-Mail erreichbar"));

        var other = (await Rebooking.SearchAsync("velbert", "A-2")).Single();
        var gone = await clerk.PostFormAsync(page, $"/staff/tenants/velbert/hotline/{other.AffectedId}/book", ("slotId", slot.ToString()));
        Assert.That(gone.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(WebUtility.HtmlDecode(await gone.Content.ReadAsStringAsync()), Does.Contain("inzwischen vergeben"));
    }

    [Test]
    public async Task TheTimeline_EndsWithTheFiguresOfTheStats()
    {
        var points = await app.Services.GetRequiredService<OutageReports>().TimelineAsync(outage);
        Assert.That(points, Is.Not.Empty);
        Assert.That(points[^1].Affected, Is.EqualTo(3));
        Assert.That(points.Select(p => p.At), Is.Ordered);
        Assert.That(points.Zip(points.Skip(1)).All(p => p.First.Affected <= p.Second.Affected), Is.True, "cumulative");
    }

    [Test]
    public async Task AStaffAddress_IsTakenOnce_WhateverItsCase()
    {
        var accounts = app.Services.GetRequiredService<StaffAccounts>();
        Assert.That(await accounts.AddAsync(new AddStaffRequest("Ada@Velbert.example", "Ada", Roles.Clerk, "velbert", "long enough password"), "test"), Is.True);
        Assert.That(await accounts.AddAsync(new AddStaffRequest("ada@velbert.EXAMPLE", "Ada 2", Roles.Admin, "*", "long enough password"), "test"), Is.False);
        Assert.That(await app.ScalarAsync<int>("SELECT COUNT(*) FROM staff_accounts"), Is.EqualTo(1));
        Assert.That((await accounts.SignInAsync(" ADA@velbert.example ", "long enough password")).Result, Is.EqualTo(SignInResult.Success));
    }
}
