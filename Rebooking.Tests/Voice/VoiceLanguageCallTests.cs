using System.Globalization;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Tests.Support;
using Rebooking.Voice;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Voice;

/// <summary>A Turkish landline citizen called through the fake Twilio over real HTTP: the TwiML fetched speaks Turkish, with the configured voice.</summary>
public sealed class VoiceLanguageCallTests
{
    const string Turkish = "+492051100001";

    static async Task<(FakeTwilio Twilio, RebookingApp App)> StartAsync(Action<Dictionary<string, string?>>? configure = null)
    {
        var twilio = await FakeTwilio.StartAsync();
        var settings = VoiceCallTests.VoiceSettings(twilio);
        configure?.Invoke(settings);
        // Wednesday 10:00: inside the default calling hours.
        var app = await RebookingApp.StartAsync(settings: settings, now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00", CultureInfo.InvariantCulture));
        await app.PutTenantAsync("velbert");
        await app.ImportAsync("velbert", "slots", new[]
        {
            new { officeId = "mitte", serviceId = (string?)null, start = "2021-05-07T09:30:00+02:00", end = "2021-05-07T09:45:00+02:00", capacity = 1 },
        });
        await app.ImportAsync("velbert", "bookings", new[]
        {
            new { externalRef = "T1", officeId = "mitte", serviceId = "geburt", start = Full("09:00"), end = Full("09:15"), name = "Ayşe Yılmaz", phone = "02051 100001", language = "tr" },
        });
        await app.DeclareAndCallAsync("velbert", new
        {
            start = Full("07:00"), end = Full("18:00"), reason = "Ausfall im Rechenzentrum",
            publicMessage = "Wegen einer technischen Störung kann Ihr Termin nicht stattfinden.",
            publicMessages = new { tr = "Teknik bir arıza nedeniyle randevunuz yapılamıyor." }, notify = true,
        });
        return (twilio, app);
    }

    static string Spoken(XElement twiml) => string.Join(" | ", twiml.Descendants("Say").Select(s => s.Value));

    [Test]
    public async Task ATurkishCitizen_PressesOne_HearsTurkishFromTheFirstWord_AndIsRebooked()
    {
        var (twilio, app) = await StartAsync();
        await using var _ = app;
        await using var __ = twilio;

        var heard = await twilio.PlayAsync(app.Anonymous(), twilio.Calls.Single(c => c.To == Turkish), Citizen.Presses("1"));

        Assert.That(twilio.WireErrors, Is.Empty);
        Assert.That(heard, Has.Count.EqualTo(2), "the call, then the answer to key 1");
        foreach (var twiml in heard)
        {
            Assert.That(twiml.Descendants("Say").Select(s => s.Attribute("language")?.Value), Is.All.EqualTo("tr-TR"), twiml.ToString());
            Assert.That(twiml.Descendants("Say").Select(s => s.Attribute("voice")?.Value), Is.All.EqualTo("Polly.Filiz"), twiml.ToString());
            Assert.That(Spoken(twiml), Does.Not.Contain("Ayşe").And.Not.Contain("Yılmaz").And.Not.Contain("T1"), "no name, no reference");
        }
        var turkish = CultureInfo.GetCultureInfo("tr-TR").DateTimeFormat;
        Assert.That(Spoken(heard[0]), Does.Contain("Stadt Velbert tarafından yapılan otomatik bir aramadır")
            .And.Contain($"6 {turkish.GetMonthName(5)} {turkish.GetDayName(DayOfWeek.Thursday)}, saat dokuz")
            .And.Contain("Teknik bir arıza nedeniyle randevunuz yapılamıyor.").And.Not.Contain("Störung")
            .And.Contain("1 tuşuna basın"));
        Assert.That(heard[0].Element("Gather")?.Attribute("action")?.Value, Does.Match(@"^https://termine\.velbert\.de/webhooks/twilio/voice/\d+/gather$"));
        Assert.That(Spoken(heard[1]), Does.Contain("Yeni randevunuz alındı").And.Contain($"7 {turkish.GetMonthName(5)} {turkish.GetDayName(DayOfWeek.Friday)}, saat dokuz otuz"));
        Assert.That(await app.ScalarAsync<string>(
            "SELECT a.outcome FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id WHERE b.external_ref = 'T1'"), Is.EqualTo("rebooked"));
    }

    [Test]
    public async Task AVoiceConfiguredForTurkish_IsTheVoiceTwilioIsAskedFor()
    {
        var (twilio, app) = await StartAsync(settings => settings["Voice:Voices:tr"] = "tr-TR|Google.tr-TR-Wavenet-A");
        await using var _ = app;
        await using var __ = twilio;

        var heard = await twilio.PlayAsync(app.Anonymous(), twilio.Calls.Single(c => c.To == Turkish), Citizen.Presses("3"));

        Assert.That(twilio.WireErrors, Is.Empty);
        foreach (var twiml in heard)
        {
            Assert.That(twiml.Descendants("Say").Select(s => s.Attribute("voice")?.Value), Is.All.EqualTo("Google.tr-TR-Wavenet-A"), twiml.ToString());
            Assert.That(twiml.Descendants("Say").Select(s => s.Attribute("language")?.Value), Is.All.EqualTo("tr-TR"));
        }
        Assert.That(Spoken(heard[1]), Does.Contain("Yeni randevu seçmediniz"));
    }
}
