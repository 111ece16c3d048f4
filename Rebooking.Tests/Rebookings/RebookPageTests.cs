using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Rebookings;

/// <summary>The citizen's HTML page over HTTP: states, languages, headers, forms.</summary>
public sealed partial class RebookPageTests
{
    RebookingApp app = null!;
    string token = "";

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync(settings: new Dictionary<string, string?> { ["Rebooking:RequestsPerMinutePerClient"] = "0" },
            now: DateTimeOffset.Parse("2021-05-06T07:00:00+02:00"));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "slots", new[]
        {
            new { officeId = "mitte", serviceId = (string?)null, start = Full("13:00"), end = Full("13:15"), capacity = 1 },
            new { officeId = "neviges", serviceId = (string?)null, start = Full("13:30"), end = Full("13:45"), capacity = 1 },
        });
        await app.ImportAsync("velbert", "bookings", new[] { Booking("A-17", "mitte", "geburt", "2021-05-06T09:15:00+02:00", phone: "0171 1000001") });
        await app.DeclareAsync("velbert", Declare("07:00", "12:00"));
        await app.ProcessAsync();
        await app.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var outbox = await app.Admin().GetFromJsonAsync<JsonElement>("/api/dev/outbox");
        token = Scenario.LinkToken(outbox[0].GetProperty("body").GetString()!);
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    // https, as browsers see the service: the antiforgery cookie is Secure and is not sent back over plain http.
    HttpClient Browser() => app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://localhost"), HandleCookies = true, AllowAutoRedirect = true });

    [Test]
    public async Task Page_InGermanByDefault_WithClearTimes_NoIndex_StrictHeaders_AndNoOtherPersonalData()
    {
        var response = await Browser().GetAsync($"/r/{token}");
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(html, Does.Contain("<html lang=\"de\" dir=\"ltr\">"));
        Assert.That(html, Does.Contain("Ihr Termin muss leider ausfallen"));
        Assert.That(html, Does.Contain("Donnerstag, 6. Mai, 09:15 Uhr"));
        Assert.That(html, Does.Contain("Donnerstag, 6. Mai,</span> <span class=\"time\">13:00 Uhr"));
        Assert.That(html, Does.Contain("<meta name=\"robots\" content=\"noindex, nofollow\""));
        Assert.That(html, Does.Contain("href=\"tel:0205126-0\""));
        Assert.That(html, Does.Not.Contain("+491711000001").And.Not.Contain("Bürger A-17"), "no phone number or name on the page");
        Assert.That(html, Does.Not.Contain("<script"));
        var headers = response.Headers;
        Assert.That(headers.GetValues("Content-Security-Policy").Single(), Does.StartWith("default-src 'none'").And.Contain("form-action 'self'"));
        Assert.That(headers.GetValues("Referrer-Policy").Single(), Is.EqualTo("no-referrer"));
        Assert.That(headers.GetValues("X-Robots-Tag").Single(), Does.Contain("noindex"));
        Assert.That(headers.CacheControl!.NoStore, Is.True);
    }

    [Test]
    public async Task Page_InEnglish_OnRequest()
    {
        var html = WebUtility.HtmlDecode(await Browser().GetStringAsync($"/r/{token}?lang=en"));
        Assert.That(html, Does.Contain("<html lang=\"en\""));
        Assert.That(html, Does.Contain("Sorry, your appointment cannot take place"));
        Assert.That(html, Does.Contain("Thursday 6 May, 09:15"));
        Assert.That(html, Does.Contain("<p class=\"message\" lang=\"de\" dir=\"auto\">"));
    }

    [Test]
    public async Task BookingThroughTheForm_NeedsTheAntiforgeryToken_ThenRedirectsToTheConfirmation()
    {
        var browser = Browser();
        var page = await browser.GetStringAsync($"/r/{token}");
        var slotId = SlotField().Match(page).Groups[1].Value;
        var forgery = AntiforgeryField().Match(page).Groups[1].Value;

        var forged = await Browser().PostAsync($"/r/{token}/book?lang=de", new FormUrlEncodedContent([new("slotId", slotId)]));
        Assert.That(forged.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await app.ScalarAsync<string>("SELECT outcome FROM affected_bookings"), Is.EqualTo("open"), "nothing was booked");

        var booked = await browser.PostAsync($"/r/{token}/book?lang=de",
            new FormUrlEncodedContent([new("slotId", slotId), new("__RequestVerificationToken", forgery)]));
        var html = WebUtility.HtmlDecode(await booked.Content.ReadAsStringAsync());
        Assert.That(booked.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(booked.RequestMessage!.RequestUri!.AbsolutePath, Is.EqualTo($"/r/{token}"), "post/redirect/get");
        Assert.That(html, Does.Contain("Ihr neuer Termin ist gebucht").And.Contain("Donnerstag, 6. Mai, 13:00 Uhr"));
        Assert.That(await app.ScalarAsync<string>("SELECT outcome FROM affected_bookings"), Is.EqualTo("rebooked"));
    }

    [Test]
    public async Task DeclineThroughTheForm_ShowsTheThanks()
    {
        var browser = Browser();
        var page = await browser.GetStringAsync($"/r/{token}");
        var response = await browser.PostAsync($"/r/{token}/decline?lang=de",
            new FormUrlEncodedContent([new("__RequestVerificationToken", AntiforgeryField().Match(page).Groups[1].Value)]));
        Assert.That(WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), Does.Contain("Sie brauchen keinen neuen Termin"));
        Assert.That(await app.ScalarAsync<string>("SELECT outcome FROM affected_bookings"), Is.EqualTo("declined"));
    }

    [Test]
    public async Task UnknownAndExpiredLinks_HaveTheirOwnPages_ExpiredStillShowsHowToReachTheOffice()
    {
        var unknown = await Browser().GetAsync("/r/AAAAAAAAAAAAAAAAAAAAAAAA");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync()), Does.Contain("Dieser Link ist uns nicht bekannt"));

        app.Clock.Advance(TimeSpan.FromDays(22));
        var expired = await Browser().GetAsync($"/r/{token}");
        var html = WebUtility.HtmlDecode(await expired.Content.ReadAsStringAsync());
        Assert.That(expired.StatusCode, Is.EqualTo(HttpStatusCode.Gone));
        Assert.That(html, Does.Contain("Dieser Link ist abgelaufen").And.Contain("02051 26-0").And.Contain("https://www.velbert.de"));
        Assert.That(html, Does.Not.Contain("A-17"), "an expired link shows no appointment");
        Assert.That(html, Does.Contain($"href=\"/r/{token}?lang=en\""), "the language switch keeps the link");
    }

    [GeneratedRegex("name=\"slotId\" value=\"(\\d+)\"")]
    private static partial Regex SlotField();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
