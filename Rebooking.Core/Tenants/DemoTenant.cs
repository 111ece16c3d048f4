using System.Globalization;
using Rebooking.Tenants.Import;

namespace Rebooking.Tenants;

/// <summary>
/// The embedded default's demo data, modelled on Castrop-Rauxel's outage day: two Bürgerbüros, real
/// services, two weeks of slots and 167 bookings on the next working day with the contact data a real
/// appointment system has (mobile, landline, email, both, none). Deterministic: the same day gives the
/// same data. Written through the same import code the appointment system uses.
/// </summary>
public sealed class DemoTenant(TenantStore tenants, SlotImport slots, BookingImport bookings, TimeProvider clock)
{
    public const string Slug = "castrop-rauxel";
    public const string ClerkEmail = "clerk@castrop-rauxel.demo";
    public const string SupervisorEmail = "supervisor@castrop-rauxel.demo";
    public const int BookingCount = 167;

    public static readonly PutTenantRequest MasterData = new(
        "Stadt Castrop-Rauxel", "Europe/Berlin", "49",
        new ContactRequest("02305 106-0", "buergerbuero@castrop-rauxel.demo", "https://www.castrop-rauxel.de"),
        [
            new OfficeRequest("rathaus", "Bürgerbüro Rathaus", "Europaplatz 1, 44575 Castrop-Rauxel"),
            new OfficeRequest("habinghorst", "Bürgerbüro Habinghorst", "Langestraße 81, 44579 Castrop-Rauxel"),
        ],
        [
            new ServiceRequest("personalausweis", "Personalausweis beantragen", 15),
            new ServiceRequest("reisepass", "Reisepass beantragen", 20),
            new ServiceRequest("ummeldung", "Wohnsitz anmelden oder ummelden", 10),
            new ServiceRequest("fuehrungszeugnis", "Führungszeugnis beantragen", 10),
            new ServiceRequest("meldebescheinigung", "Meldebescheinigung", 5),
            new ServiceRequest("beglaubigung", "Beglaubigung", 5),
        ]);

    static readonly (string Office, int Capacity)[] SlotPlan = [("rathaus", 3), ("habinghorst", 2)];

    /// <summary>The first Monday-to-Friday date after today in the tenant's zone.</summary>
    public static DateOnly NextWorkingDay(DateTimeOffset now, TimeZoneInfo zone)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).Date).AddDays(1);
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) day = day.AddDays(1);
        return day;
    }

    /// <summary>Seeds the demo tenant and returns the demo day (the next working day, local), which holds its bookings.</summary>
    public async Task<DateOnly> SeedAsync(CancellationToken ct = default)
    {
        await tenants.PutAsync(Slug, MasterData, "demo-seed", ct);
        var tenant = (await tenants.GetAsync(Slug, ct))!;
        var zone = tenant.Tenant.Zone;
        var demoDay = NextWorkingDay(clock.GetUtcNow(), zone);

        // Quarter-hour slots 08:00-18:00 on the working days of two weeks from the demo day.
        var slotRows = new List<ImportRow>();
        var slotTimes = new List<(string Office, DateTimeOffset Start)>();
        for (var day = demoDay; day < demoDay.AddDays(14); day = day.AddDays(1))
        {
            if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday) continue;
            for (var minute = 8 * 60; minute < 18 * 60; minute += 15)
            {
                var start = Local(day, minute, zone);
                foreach (var (office, capacity) in SlotPlan)
                {
                    slotRows.Add(Row(slotRows.Count, ("officeId", office), ("start", Iso(start)), ("end", Iso(start.AddMinutes(15))),
                        ("capacity", capacity.ToString(CultureInfo.InvariantCulture))));
                    if (day == demoDay)
                        for (var unit = 0; unit < capacity; unit++) slotTimes.Add((office, start));
                }
            }
        }
        await slots.ImportAsync(tenant, slotRows, ct);

        // 167 bookings spread over the demo day's slot units, with a realistic contact mix.
        var random = new Random(BookingCount);
        var services = MasterData.Services!.Select(s => s.Id!).ToArray();
        var picked = slotTimes.OrderBy(_ => random.Next()).Take(BookingCount).OrderBy(s => s.Start).ToList();
        var bookingRows = new List<ImportRow>();
        for (var i = 0; i < picked.Count; i++)
        {
            var (office, start) = picked[i];
            var name = $"{FirstNames[random.Next(FirstNames.Length)]} {LastNames[random.Next(LastNames.Length)]}";
            var (phone, email) = ContactFor(i, name, random);
            bookingRows.Add(Row(i,
                ("externalRef", $"CR-{demoDay:yyyyMMdd}-{i + 1:000}"), ("officeId", office), ("serviceId", services[random.Next(services.Length)]),
                ("start", Iso(start)), ("end", Iso(start.AddMinutes(15))), ("name", name), ("phone", phone), ("email", email),
                ("language", random.Next(10) == 0 ? "en" : "de")));
        }
        await bookings.ImportAsync(tenant, bookingRows, ct);
        return demoDay;
    }

    // 50% mobile only, 12% mobile and email, 15% email only, 13% landline only, 10% no contact at all.
    static (string? Phone, string? Email) ContactFor(int i, string name, Random random)
    {
        // 017x numbers with 10 digits after the 0: valid wherever libphonenumber checks them (015x needs 11, 016x only 0160/2/3).
        var mobile = $"017{random.Next(5, 8)}{random.Next(0, 10)} {random.Next(100000, 999999)}";
        var landline = $"02305 {random.Next(10000, 99999)}";
        var email = $"{name.ToLowerInvariant().Replace(' ', '.').Replace("ä", "ae").Replace("ö", "oe").Replace("ü", "ue").Replace("ß", "ss")}{i}@example.org";
        return (i % 100) switch
        {
            < 50 => (mobile, null),
            < 62 => (mobile, email),
            < 77 => (null, email),
            < 90 => (landline, null),
            _ => (null, null),
        };
    }

    static DateTimeOffset Local(DateOnly day, int minuteOfDay, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(new TimeOnly(minuteOfDay / 60, minuteOfDay % 60));
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    static string Iso(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    static ImportRow Row(int index, params (string Field, string? Value)[] fields) =>
        new(index, fields.ToDictionary(f => f.Field, f => f.Value, StringComparer.OrdinalIgnoreCase));

    static readonly string[] FirstNames =
    [
        "Erika", "Max", "Sabine", "Thomas", "Fatma", "Mehmet", "Anna", "Lukas", "Julia", "Jan", "Petra", "Stefan",
        "Olga", "Dmitri", "Aylin", "Murat", "Claudia", "Michael", "Sophie", "Leon", "Ewa", "Piotr", "Gisela", "Jürgen",
    ];

    static readonly string[] LastNames =
    [
        "Mustermann", "Schmidt", "Müller", "Yılmaz", "Kowalski", "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch",
        "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Demir", "Kaya", "Nowak", "Braun", "Zimmermann",
    ];
}
