using System.Net.Http.Json;
using Microsoft.Playwright;
using Rebooking.Tests.Support;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Rebookings;

/// <summary>
/// Turkish, Ukrainian and Arabic citizens rebook and then change their appointment once, in Debian's
/// Chromium; the Arabic page is right to left; keyboard only; two tabs racing. Screenshots in
/// artifacts/screenshots (rtl-*, tr-*).
/// </summary>
public sealed class RebookLanguagesBrowserTests : CitizenBrowserFixture
{
    static readonly Dictionary<string, (string Cancelled, string Rebooked, string ChangeTitle, string ChooseAnother)> Headings = new()
    {
        ["tr"] = ("Randevunuz maalesef iptal oldu", "Yeni randevunuz alındı", "Başka bir saat seçin", "Başka bir saat seç"),
        ["uk"] = ("На жаль, ваш прийом не відбудеться", "Ваш новий запис заброньовано", "Оберіть інший час", "Обрати інший час"),
        ["ar"] = ("نأسف، أُلغي موعدك", "تم حجز موعدك الجديد", "اختر وقتًا آخر", "اختر وقتًا آخر"),
        ["de"] = ("Ihr Termin muss leider ausfallen", "Ihr neuer Termin ist gebucht", "Andere Zeit wählen", "Andere Zeit wählen"),
    };

    protected override IReadOnlyList<Citizen> Citizens { get; } =
    [
        new("tr", "09:00", "tr"), new("uk", "09:15", "uk"), new("ar", "09:30", "ar"), new("keyboard", "09:45", "ar"),
        new("race", "10:00", "de"), new("rtl", "10:15", "ar"),
    ];

    protected override (int Count, int Capacity, int AtMitte) Slots => (8, 3, 5);

    protected override int PhoneSeries => 2;

    static ILocator H1(IPage page) => page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    Task<string> StartOf(string reference) => App.ScalarAsync<string>(
        "SELECT start_utc FROM bookings WHERE external_ref LIKE @Prefix AND status = 'booked'", new { Prefix = reference + "-R%" });

    [TestCase("tr")]
    [TestCase("uk")]
    [TestCase("ar")]
    public async Task ACitizen_RebooksInTheirLanguage_AndThenChangesTheAppointmentOnce(string language)
    {
        var page = await Open($"/r/{Tokens[language]}");
        Assert.That(await page.GetAttributeAsync("html", "lang"), Is.EqualTo(language), "the booking's language picks the page's");
        await Assertions.Expect(H1(page)).ToHaveTextAsync(Headings[language].Cancelled);
        await HeadlessChromium.AssertAccessibleAsync(page, $"open ({language})");
        await HeadlessChromium.ScreenshotAsync(page, $"{language}-open");

        await page.Locator(".offers button").First.ClickAsync();
        await Assertions.Expect(H1(page)).ToHaveTextAsync(Headings[language].Rebooked);
        var first = await StartOf(language);
        await HeadlessChromium.AssertAccessibleAsync(page, $"rebooked ({language})");
        await HeadlessChromium.ScreenshotAsync(page, $"{language}-rebooked");

        await page.GetByRole(AriaRole.Link, new() { Name = Headings[language].ChooseAnother, Exact = true }).ClickAsync();
        await Assertions.Expect(H1(page)).ToHaveTextAsync(Headings[language].ChangeTitle);
        await HeadlessChromium.AssertAccessibleAsync(page, $"change ({language})");
        await HeadlessChromium.ScreenshotAsync(page, $"{language}-change");
        await page.Locator(".offers button").Nth(2).ClickAsync();

        await Assertions.Expect(H1(page)).ToHaveTextAsync(Headings[language].Rebooked);
        var second = await StartOf(language);
        Assert.That(second, Is.Not.EqualTo(first), "the appointment moved");
        Assert.That(await App.ScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE external_ref LIKE @P AND status = 'booked'", new { P = language + "-R%" }), Is.EqualTo(1));
        Assert.That(await App.ScalarAsync<int>("SELECT revision FROM bookings WHERE external_ref LIKE @P", new { P = language + "-R%" }), Is.EqualTo(1));
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(second, System.Globalization.CultureInfo.InvariantCulture), TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin"));
        await Assertions.Expect(page.Locator(".appointment")).ToContainTextAsync(local.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        var desktop = await Open($"/r/{Tokens[language]}", 1280);
        await HeadlessChromium.ScreenshotAsync(desktop, $"{language}-rebooked");
        await HeadlessChromium.ScreenshotAsync(await Open($"/r/{Tokens[language]}?view=change", 1280), $"{language}-change");
    }

    [Test]
    public async Task TheArabicPage_IsRightToLeft_AndDateTimeAndOfficeReadFromTheRight()
    {
        var page = await Open($"/r/{Tokens["rtl"]}");
        Assert.That(await page.GetAttributeAsync("html", "dir"), Is.EqualTo("rtl"));
        Assert.That(await page.EvaluateAsync<string>("() => getComputedStyle(document.body).direction"), Is.EqualTo("rtl"));
        var button = page.Locator(".offers button").First;
        var date = await button.Locator(".date").BoundingBoxAsync();
        var time = await button.Locator(".time").BoundingBoxAsync();
        Assert.That(date!.X, Is.GreaterThan(time!.X), "the date comes first, on the right; the time after it, to its left");
        Assert.That(await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector('.offers button')).textAlign"), Is.EqualTo("start"));
        var tenant = await page.Locator(".tenant").BoundingBoxAsync();
        var languages = await page.Locator("nav.languages").BoundingBoxAsync();
        Assert.That(tenant!.X, Is.GreaterThan(languages!.X), "the header starts on the right");
        Assert.That(await page.Locator("footer a[href^='tel:']").InnerTextAsync(), Is.EqualTo("02051 26-0"));
        Assert.That(await page.EvaluateAsync<string>("() => getComputedStyle(document.querySelector(\"footer a[href^='tel:']\")).direction"), Is.EqualTo("ltr"),
            "the phone number reads left to right inside the Arabic page");
        await HeadlessChromium.ScreenshotAsync(page, "rtl-open");
        await HeadlessChromium.ScreenshotAsync(await Open($"/r/{Tokens["rtl"]}", 1280), "rtl-open");

        await page.Locator(".offers button").First.ClickAsync();
        await Assertions.Expect(H1(page)).ToHaveTextAsync(Headings["ar"].Rebooked);
        await HeadlessChromium.ScreenshotAsync(page, "rtl-rebooked");
        await HeadlessChromium.ScreenshotAsync(await Open($"/r/{Tokens["rtl"]}", 1280), "rtl-rebooked");
        var change = await Open($"/r/{Tokens["rtl"]}?view=change");
        await Assertions.Expect(H1(change)).ToHaveTextAsync(Headings["ar"].ChangeTitle);
        await HeadlessChromium.ScreenshotAsync(change, "rtl-change");
        await HeadlessChromium.ScreenshotAsync(await Open($"/r/{Tokens["rtl"]}?view=cancel", 1280), "rtl-cancel");
    }

    [Test]
    public async Task ACitizen_RebooksAndChanges_WithTheKeyboardOnly()
    {
        var page = await Open($"/r/{Tokens["keyboard"]}");
        async Task TabTo(string script)
        {
            for (var i = 0; i < 30; i++)
            {
                await page.Keyboard.PressAsync("Tab");
                if (await page.EvaluateAsync<bool>(script)) return;
            }
            Assert.Fail($"Tab never reached: {script}");
        }
        await TabTo("() => document.activeElement?.closest('.offers') != null");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(H1(page)).ToHaveTextAsync(Headings["ar"].Rebooked);
        var first = await StartOf("keyboard");

        await TabTo("() => document.activeElement?.getAttribute('href')?.includes('view=change') ?? false");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(H1(page)).ToHaveTextAsync(Headings["ar"].ChangeTitle);
        await TabTo("() => document.activeElement?.closest('.offers') != null");
        await page.Keyboard.PressAsync("Tab"); // the next slot, not the first
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(H1(page)).ToHaveTextAsync(Headings["ar"].Rebooked);
        Assert.That(await StartOf("keyboard"), Is.Not.EqualTo(first));
        var focusVisible = await page.EvaluateAsync<string>("() => { const a = document.querySelector('a.button'); a.focus(); return getComputedStyle(a).outlineStyle; }");
        Assert.That(focusVisible, Is.EqualTo("solid"), "the focus is visible");
    }

    [Test]
    public async Task TwoTabs_ChooseDifferentTimesAtOnce_ExactlyOneWins_AndTheCitizenHoldsOneAppointment()
    {
        var book = await App.Anonymous().PostAsJsonAsync($"/api/rebook/{Tokens["race"]}", new
        {
            slotId = (await App.ScalarAsync<long>("SELECT id FROM slots WHERE start_utc = @At", new { At = DateTimeOffset.Parse(Full("13:00")) })).ToString(),
        });
        Assert.That(book.IsSuccessStatusCode, Is.True);
        var context = await Chromium.NewContextAsync(360);
        var one = await Chromium.OpenAsync($"{App.BaseUrl}/r/{Tokens["race"]}?view=change", 360, context);
        var two = await Chromium.OpenAsync($"{App.BaseUrl}/r/{Tokens["race"]}?view=change", 360, context);

        await Task.WhenAll(one.Locator(".offers button").Nth(1).ClickAsync(), two.Locator(".offers button").Nth(3).ClickAsync());
        await one.WaitForLoadStateAsync();
        await two.WaitForLoadStateAsync();

        var notices = 0;
        foreach (var page in new[] { one, two })
        {
            await Assertions.Expect(H1(page)).ToHaveTextAsync(Headings["de"].Rebooked);
            notices += await page.Locator("p.notice[role=alert]").CountAsync();
        }
        Assert.That(notices, Is.EqualTo(1), "the slower tab says the appointment was just changed elsewhere");
        Assert.That(await App.ScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE external_ref LIKE 'race-R%' AND status = 'booked'"), Is.EqualTo(1));
        Assert.That(await App.ScalarAsync<int>("SELECT revision FROM bookings WHERE external_ref LIKE 'race-R%'"), Is.EqualTo(1), "exactly one change won");
        Assert.That(await App.ScalarAsync<int>("SELECT SUM(booked) FROM slots"), Is.EqualTo(
            await App.ScalarAsync<int>("SELECT COUNT(*) FROM bookings WHERE origin = 'rebooking' AND status = 'booked'")), "every held unit belongs to one appointment");
        await HeadlessChromium.AssertAccessibleAsync(notices == 1 && await one.Locator("p.notice").CountAsync() == 1 ? one : two, "changed elsewhere");
    }
}
