using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Rebooking.Notifications;
using static Rebooking.Tests.Support.Scenario;

namespace Rebooking.Tests.Support;

/// <summary>
/// The citizen's page in Debian's Chromium, set up once per test class: the app on a real loopback port at 07:00
/// on Thursday 6 May 2021 in Velbert, free slots from 13:00 a quarter of an hour apart, the citizens' bookings at
/// the office <c>mitte</c> cancelled by an outage from 07:00 to 12:00 and their SMS sent, so each citizen's
/// personal link is in <see cref="Tokens"/> as the SMS carried it.
/// </summary>
public abstract class CitizenBrowserFixture
{
    /// <summary>A citizen with a booking: the key is the booking's reference, the time its local start on the day.</summary>
    protected sealed record Citizen(string Key, string Time, string Language = "de");

    protected RebookingApp App { get; private set; } = null!;
    protected HeadlessChromium Chromium { get; private set; } = null!;
    protected Guid OutageId { get; private set; }

    /// <summary>The token of each citizen's link, by <see cref="Citizen.Key"/>.</summary>
    protected Dictionary<string, string> Tokens { get; } = new();

    /// <summary>The citizens, in import order.</summary>
    protected abstract IReadOnlyList<Citizen> Citizens { get; }

    /// <summary>The free slots: how many, the units each holds, and how many of them (the first) are at <c>mitte</c>; the rest are at <c>neviges</c>.</summary>
    protected abstract (int Count, int Capacity, int AtMitte) Slots { get; }

    /// <summary>The digit of this class's phone numbers: the i-th citizen has <c>0171 {PhoneSeries}00000{i}</c>.</summary>
    protected abstract int PhoneSeries { get; }

    /// <summary>Runs once the links exist, before the browser starts: what the class needs on top (bookings made, declined).</summary>
    protected virtual Task PrepareAsync() => Task.CompletedTask;

    [OneTimeSetUp]
    public async Task StartAppAndBrowser()
    {
        App = await RebookingApp.StartAsync(settings: new Dictionary<string, string?> { ["Rebooking:RequestsPerMinutePerClient"] = "0" },
            now: DateTimeOffset.Parse("2021-05-06T07:00:00+02:00"), kestrel: true);
        await App.PutTenantAsync("velbert");
        var slots = Slots;
        await App.ImportAsync("velbert", "slots", Enumerable.Range(0, slots.Count).Select(i => new
        {
            officeId = i < slots.AtMitte ? "mitte" : "neviges", serviceId = (string?)null, capacity = slots.Capacity,
            start = DateTimeOffset.Parse(Full("13:00")).AddMinutes(15 * i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
            end = DateTimeOffset.Parse(Full("13:15")).AddMinutes(15 * i).ToString("yyyy-MM-dd'T'HH:mm:sszzz"),
        }).ToArray());
        var citizens = Citizens;
        await App.ImportAsync("velbert", "bookings", citizens.Select((c, i) =>
            Booking(c.Key, "mitte", "geburt", c.Time, phone: $"0171 {PhoneSeries}00000{i}", language: c.Language)).ToArray());
        OutageId = await App.DeclareAsync("velbert", Declare("07:00", "12:00"));
        await App.ProcessAsync();
        await App.Services.GetRequiredService<NotificationDispatcher>().RunPendingAsync();
        var outbox = await App.Admin().GetFromJsonAsync<JsonElement>("/api/dev/outbox");
        for (var i = 0; i < citizens.Count; i++)
        {
            var to = $"+49171{PhoneSeries}00000{i}";
            Tokens[citizens[i].Key] = LinkToken(outbox.EnumerateArray().Single(m => m.GetProperty("to").GetString() == to).GetProperty("body").GetString()!);
        }
        await PrepareAsync();
        Chromium = await HeadlessChromium.LaunchAsync();
    }

    [OneTimeTearDown]
    public async Task StopAppAndBrowser()
    {
        if (Chromium is not null) await Chromium.DisposeAsync();
        if (App is not null) await App.DisposeAsync();
    }

    /// <summary>Opens <paramref name="path"/> of the app in a fresh context, phone-sized (360 px) unless a width is given.</summary>
    protected Task<IPage> Open(string path, int width = 360) => Chromium.OpenAsync(App.BaseUrl + path, width);
}
