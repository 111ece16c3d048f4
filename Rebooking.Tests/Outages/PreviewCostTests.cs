using System.Net.Http.Json;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Notifications;
using Rebooking.Tenants;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Outages;

/// <summary>
/// The cost before the click, on the demo day (167 bookings with mobiles, landlines, e-mail, both and none):
/// the preview's message counts follow the stored contacts, SMS segments follow each booking's language and
/// the public message, and the price follows <c>Twilio:PricePerSegment</c>.
/// </summary>
public sealed class PreviewCostTests
{
    RebookingApp app = null!;
    DateOnly day;

    [SetUp]
    public async Task Start()
    {
        app = await RebookingApp.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Demo:Seed"] = "true", ["Twilio:PricePerSegment"] = "0.0832 EUR",
        }, now: DateTimeOffset.Parse("2021-05-05T10:00:00+02:00"));
        day = DemoTenant.NextWorkingDay(app.Clock.GetUtcNow(), OffsetTime.Zone("Europe/Berlin"));
    }

    [TearDown]
    public async Task Stop() => await app.DisposeAsync();

    async Task<JsonElement> PreviewAsync(string publicMessage)
    {
        var d = day.ToString("yyyy-MM-dd");
        var answer = await app.Admin().PostAsJsonAsync($"/api/tenants/{DemoTenant.Slug}/outages/preview", new
        {
            start = $"{d}T00:00:00+02:00", end = $"{d}T23:59:00+02:00", officeIds = Array.Empty<string>(), serviceIds = Array.Empty<string>(),
            exemptServiceIds = Array.Empty<string>(), reason = "Rechenzentrum", publicMessage, notify = true,
        });
        Assert.That(answer.IsSuccessStatusCode, Is.True, await answer.Content.ReadAsStringAsync());
        return await answer.Content.ReadFromJsonAsync<JsonElement>();
    }

    sealed class Row
    {
        public string OfficeId { get; init; } = "";
        public string Language { get; init; } = "";
        public DateTimeOffset Start { get; init; }
        public DateTimeOffset End { get; init; }
        public string? Phone { get; init; }
        public string? PhoneKind { get; init; }
        public string? Email { get; init; }
    }

    async Task<List<Row>> BookingsAsync()
    {
        await using var connection = await app.Db.OpenAsync();
        return (await connection.QueryAsync<Row>("""
            SELECT office_id AS OfficeId, language AS Language, start_utc AS Start, end_utc AS "End", phone AS Phone, phone_kind AS PhoneKind, email AS Email
            FROM bookings WHERE tenant_id = 'castrop-rauxel' AND status = 'booked'
            """)).ToList();
    }

    [Test]
    public async Task ThePreview_CountsSmsEmailAndLandlineCalls_AsTheStoredContactsSay_AndSegmentsPerLanguage()
    {
        const string message = "Wegen einer technischen Störung kann Ihr Termin nicht stattfinden.";
        var preview = await PreviewAsync(message);
        var rows = await BookingsAsync();
        Assert.That(rows, Has.Count.EqualTo(167));
        Assert.That(preview.GetProperty("affected").GetInt32(), Is.EqualTo(167));

        var sms = rows.Where(r => ChannelRule.TakesSms(r.PhoneKind)).ToList();
        var email = rows.Where(r => !ChannelRule.TakesSms(r.PhoneKind) && r.Email is not null).ToList();
        var landline = rows.Where(r => !ChannelRule.TakesSms(r.PhoneKind) && r.Email is null && r.Phone is not null).ToList();
        Assert.That(sms, Is.Not.Empty);
        Assert.That(email, Is.Not.Empty);
        Assert.That(landline, Is.Not.Empty, "the demo day has landline-only citizens");

        var m = preview.GetProperty("messages");
        Assert.That(m.GetProperty("sms").GetInt32(), Is.EqualTo(sms.Count));
        Assert.That(m.GetProperty("email").GetInt32(), Is.EqualTo(email.Count));
        Assert.That(m.GetProperty("voice").GetInt32(), Is.EqualTo(landline.Count));

        // Each citizen's own SMS, composed one by one in their language with a link of the real length.
        var tenant = (await app.Services.GetRequiredService<TenantStore>().GetAsync(DemoTenant.Slug))!;
        var link = $"http://localhost:5000/r/{new string('x', 24)}";
        int Segments(Row r) => SmsSegments.Measure(MessageComposer.Sms("", new MessageFacts(NotificationKind.Cancellation, r.Language, tenant.Tenant.Name,
            tenant.Tenant.Zone, tenant.Tenant.ContactPhone, tenant.OfficeName(r.OfficeId), null, "", r.Start, r.End, message, "", link, "")).Text).Segments;
        var byLanguage = m.GetProperty("byLanguage").EnumerateArray().ToDictionary(l => l.GetProperty("language").GetString()!);
        Assert.That(byLanguage.Keys, Is.EquivalentTo(sms.Select(r => r.Language).Distinct()));
        Assert.That(byLanguage.Keys, Does.Contain("de").And.Contain("en"));
        foreach (var (language, figures) in byLanguage)
        {
            var mine = sms.Where(r => r.Language == language).ToList();
            Assert.That(figures.GetProperty("sms").GetInt32(), Is.EqualTo(mine.Count), language);
            Assert.That(figures.GetProperty("smsSegments").GetInt32(), Is.EqualTo(mine.Sum(Segments)), language);
        }
        var segments = m.GetProperty("smsSegments").GetInt32();
        Assert.That(segments, Is.EqualTo(sms.Sum(Segments)));
        Assert.That(segments, Is.GreaterThanOrEqualTo(sms.Count), "every SMS is at least one segment");

        var cost = m.GetProperty("estimatedCost");
        Assert.That(cost.GetProperty("currency").GetString(), Is.EqualTo("EUR"));
        Assert.That(cost.GetProperty("amount").GetDecimal(), Is.EqualTo(decimal.Round(segments * 0.0832m, 2, MidpointRounding.AwayFromZero)));
    }

    [Test]
    public async Task APublicMessageOutsideGsm7_MakesEverySmsUcs2_AndThePreviewCountsTheExtraSegments()
    {
        var plain = (await PreviewAsync("Wegen einer Störung fällt Ihr Termin aus.")).GetProperty("messages");
        var ucs2 = (await PreviewAsync("Wegen einer Störung fällt Ihr Termin aus. ☎ Hotline")).GetProperty("messages");
        Assert.That(ucs2.GetProperty("sms").GetInt32(), Is.EqualTo(plain.GetProperty("sms").GetInt32()));
        Assert.That(ucs2.GetProperty("smsSegments").GetInt32(), Is.GreaterThan(plain.GetProperty("smsSegments").GetInt32() + plain.GetProperty("sms").GetInt32() / 2),
            "UCS-2 holds 67 characters per segment instead of 153");
    }

    [Test]
    public void APriceSetting_ThatCannotBeRead_StopsTheStart()
    {
        Assert.That(SmsPrice.Parse("0.0832 EUR"), Is.EqualTo(new SmsPrice(0.0832m, "EUR")));
        Assert.That(SmsPrice.Parse(null), Is.Null);
        Assert.That(() => SmsPrice.Parse("0,0832 €"), Throws.InvalidOperationException.With.Message.Contains("Twilio:PricePerSegment"));
    }
}
