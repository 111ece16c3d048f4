using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rebooking.Access;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.HostFarm;

namespace Rebooking.Tests.EndToEnd;

/// <summary>
/// Two Api hosts behind a round-robin balancer and two workers on one SQLite file: every request goes to the
/// other host than the one before, so a session, a form or a citizen's page from one host is used on the other.
/// </summary>
public sealed partial class MultiHostTests
{
    const int Bookings = 12;

    [Test]
    public async Task ClerkCitizenAndSupervisor_AlternatingBetweenTwoHosts_WorkAsOnOneHost()
    {
        await using var farm = await HostFarm.StartAsync(apis: 2, workers: 2);
        var day = BerlinDay(3, TimeSpan.Zero);
        await farm.AdminAsync(0, HttpMethod.Put, "/api/tenants/velbert", RebookingApp.TenantBody());
        await farm.AdminAsync(1, HttpMethod.Post, "/api/tenants/velbert/bookings/import", Enumerable.Range(0, Bookings).Select(i =>
            Scenario.Booking($"MH-{i:00}", "mitte", "personalausweis", Iso(day.AddHours(9).AddMinutes(15 * i)), phone: $"0171 55501{i:00}")).ToArray());
        var slotStart = BerlinDay(4, TimeSpan.FromHours(10));
        await farm.AdminAsync(0, HttpMethod.Post, "/api/tenants/velbert/slots/import",
            new[] { new { officeId = "mitte", serviceId = (string?)null, start = Iso(slotStart), end = Iso(slotStart.AddMinutes(15)), capacity = 3 } });
        await farm.AddStaffAsync("clerk@velbert.example", Roles.Clerk, "velbert");
        await farm.AddStaffAsync("lead@velbert.example", Roles.Supervisor, "velbert");

        // The clerk: sign-in page from one host, the post to the other; from then on every page alternates.
        using var clerk = new AlternatingClient([.. farm.Urls]);
        await clerk.SignInAsync("clerk@velbert.example", Password);
        Assert.That(await clerk.PageAsync("/staff"), Does.Contain("velbert"), "the session from one host is valid on the other");
        (string, string)[] form =
        [
            ("start", day.ToString("yyyy-MM-dd") + "T07:00"), ("end", day.ToString("yyyy-MM-dd") + "T18:00"),
            ("reason", "USV defekt"), ("publicMessage", "Ihr Termin fällt aus."), ("notify", "true"),
        ];
        var preview = await clerk.PostFormAsync("/staff/tenants/velbert/outages/new", "/staff/tenants/velbert/outages/preview", form);
        Assert.That(WebUtility.HtmlDecode(await preview.Content.ReadAsStringAsync()), Does.Contain($"{Bookings} Termine würden abgesagt."));
        var declared = await clerk.PostFormAsync("/staff/tenants/velbert/outages/new", "/staff/tenants/velbert/outages", form);
        Assert.That(declared.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await declared.Content.ReadAsStringAsync());
        var outagePage = declared.Headers.Location!.ToString();
        var id = outagePage["/staff/outages/".Length..];

        // Follows the live figures, host after host, until the workers have told every citizen.
        var figures = new Dictionary<string, int>();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            figures = Figures(await clerk.PageAsync($"{outagePage}/live"));
            if (figures.GetValueOrDefault("notified") == Bookings) break;
            foreach (var worker in farm.Workers) Assert.That(worker.HasExited, Is.False, worker.Output);
            await Task.Delay(200);
        }
        Assert.That(figures.GetValueOrDefault("notified"), Is.EqualTo(Bookings), farm.Output);
        Assert.That(figures["affected"], Is.EqualTo(Bookings));

        // A citizen opens the page on one host and books on the other with that page's form.
        var outbox = await farm.AdminAsync(1, HttpMethod.Get, "/api/dev/outbox");
        var token = Scenario.LinkToken(outbox.EnumerateArray().First(m => m.GetProperty("channel").GetString() == "sms").GetProperty("body").GetString()!);
        using var citizen = new AlternatingClient([.. farm.Urls]);
        var page = await citizen.PageAsync($"/r/{token}", host: 0);
        var slotId = SlotButton().Match(page).Groups[1].Value;
        Assert.That(slotId, Is.Not.Empty, page);
        var booked = await citizen.PostAsync($"/r/{token}/book", ConsoleSession.Form(page, ("slotId", slotId)), host: 1);
        Assert.That(booked.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther), "host B accepts host A's antiforgery token: " + await booked.Content.ReadAsStringAsync());
        using var anonymous = new HttpClient { BaseAddress = new Uri(farm.Urls[0]) };
        var view = JsonDocument.Parse(await anonymous.GetStringAsync($"/api/rebook/{token}")).RootElement;
        Assert.That(view.GetProperty("state").GetString(), Is.EqualTo("rebooked"));

        // The clerk resolves the outage with the form of the page from the other host.
        var resolved = await clerk.PostFormAsync(outagePage, $"/staff/outages/{id}/resolve");
        Assert.That(resolved.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), await resolved.Content.ReadAsStringAsync());

        // The workers reinstate the open bookings; wait for them (on either host) before the supervisor looks.
        var reinstatedBy = DateTime.UtcNow.AddSeconds(60);
        for (var poll = 0; ; poll++)
        {
            var progress = await farm.AdminAsync(poll % 2, HttpMethod.Get, $"/api/tenants/velbert/outages/{id}/stats");
            if (progress.GetProperty("processingComplete").GetBoolean()
                && progress.GetProperty("outcome").GetProperty("reinstated").GetInt32() == Bookings - 1) break;
            Assert.That(DateTime.UtcNow, Is.LessThan(reinstatedBy), "the workers did not reinstate the open bookings: " + progress);
            await Task.Delay(200);
        }

        // The supervisor reads the same figures on both hosts, and they are those of one host.
        using var supervisor = new AlternatingClient([.. farm.Urls]);
        await supervisor.SignInAsync("lead@velbert.example", Password);
        var seen = new[] { Figures(await supervisor.PageAsync(outagePage)), Figures(await supervisor.PageAsync(outagePage)) };
        foreach (var read in seen)
        {
            Assert.That(read["affected"], Is.EqualTo(Bookings));
            Assert.That(read["rebooked"], Is.EqualTo(1));
            Assert.That(read["reinstated"], Is.EqualTo(Bookings - 1), "resolved before the day: every open booking is valid again");
            Assert.That(read["open"] + read["declined"], Is.Zero);
            Assert.That(read["notified"], Is.EqualTo(Bookings));
        }
        var stats = await farm.AdminAsync(0, HttpMethod.Get, $"/api/tenants/velbert/outages/{id}/stats");
        Scenario.AssertInvariants(stats);
        Assert.That(stats.ToString(), Is.EqualTo((await farm.AdminAsync(1, HttpMethod.Get, $"/api/tenants/velbert/outages/{id}/stats")).ToString()));

        Assert.That(clerk.Answered.Distinct(), Is.EquivalentTo(new[] { 0, 1 }), "both hosts answered the clerk");
        Assert.That(supervisor.Answered.Distinct(), Is.EquivalentTo(new[] { 0, 1 }));
        foreach (var home in farm.Homes)
            Assert.That(Directory.Exists(Path.Combine(home, ".aspnet", "DataProtection-Keys")), Is.False, "no host keeps keys of its own in its home directory");
        Assert.That(farm.Output, Does.Not.Contain("Unhandled exception").And.Not.Contain("+4917155501"), "no failures, no phone numbers in the logs");
    }

    [Test]
    public async Task AfterAKeyIsForcedOnHostA_HostBAcceptsSessionsIssuedBeforeAndAfterTheRotation()
    {
        await using var farm = await HostFarm.StartAsync(apis: 2, workers: 0, new Dictionary<string, string?> { ["DataProtection__RefreshInterval"] = "00:00:01" });
        await farm.AdminAsync(0, HttpMethod.Put, "/api/tenants/velbert", RebookingApp.TenantBody());
        await farm.AddStaffAsync("clerk@velbert.example", Roles.Clerk, "velbert");
        using var before = new AlternatingClient([.. farm.Urls]);
        await before.SignInAsync("clerk@velbert.example", Password);
        var oldKey = KeyOf(before.Cookie("__Host-rebooking-staff")!);

        var rotated = await farm.AdminAsync(0, HttpMethod.Post, "/api/keyring/rotate");
        var newKey = rotated.GetProperty("keyId").GetGuid();
        Assert.That(newKey, Is.Not.EqualTo(oldKey));

        using var after = new AlternatingClient([.. farm.Urls]);
        var login = await after.PageAsync("/staff/login", host: 0);
        var signedIn = await after.PostAsync("/staff/login", ConsoleSession.Form(login, ("email", "clerk@velbert.example"), ("password", Password), ("returnUrl", "/staff")), host: 0);
        Assert.That(signedIn.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(KeyOf(after.Cookie("__Host-rebooking-staff")!), Is.EqualTo(newKey), "host A protects new sessions with the new key at once");

        // Host B looks for keys added elsewhere once a second (DataProtection:RefreshInterval).
        var until = DateTime.UtcNow.AddSeconds(15);
        while (!farm.Apis[1].Output.Contains("The shared key ring changed on another host") && DateTime.UtcNow < until) await Task.Delay(100);
        Assert.That(farm.Apis[1].Output, Does.Contain("The shared key ring changed on another host"));

        Assert.That((await before.GetAsync("/staff", host: 1)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a session from before the rotation, on host B");
        Assert.That((await after.GetAsync("/staff", host: 1)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "a session from after the rotation, on host B");
        Assert.That((await before.GetAsync("/staff", host: 0)).StatusCode, Is.EqualTo(HttpStatusCode.OK), "and the old one still on host A");
        using var forged = new AlternatingClient([.. farm.Urls]);
        forged.SetCookie("__Host-rebooking-staff", after.Cookie("__Host-rebooking-staff")![..^4] + "AAAA");
        Assert.That((await forged.GetAsync("/staff", host: 1)).StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "a tampered cookie is still refused");

        using var nonAdmin = new HttpClient { BaseAddress = new Uri(farm.Urls[1]) };
        Assert.That((await nonAdmin.PostAsync("/api/keyring/rotate", null)).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }

    /// <summary>The key id inside a data-protection payload: after the 4-byte magic header, 16 bytes.</summary>
    static Guid KeyOf(string cookie)
    {
        var bytes = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlDecode(cookie);
        Assert.That(bytes[..4], Is.EqualTo(new byte[] { 0x09, 0xF0, 0xC9, 0xF0 }), "a data-protection payload");
        return new Guid(bytes.AsSpan(4, 16));
    }

    static Dictionary<string, int> Figures(string html) =>
        Figure().Matches(html).ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value.Replace(".", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture));

    [GeneratedRegex("data-figure=\"([a-z]+)\">([0-9.]+)<")]
    private static partial Regex Figure();

    [GeneratedRegex("name=\"slotId\" value=\"([0-9]+)\"")]
    private static partial Regex SlotButton();
}
