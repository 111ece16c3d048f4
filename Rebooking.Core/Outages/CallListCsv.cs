using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Rebooking.Outages;

/// <summary>
/// The hotline's call list as a file Excel opens directly: UTF-8 with BOM, ';' between fields, local times. Every
/// cell is neutralised (<see cref="CsvCells.Neutralise"/>); phone numbers are written <c>0049 1701234567</c>
/// (<see cref="Phone"/>) so they read and dial as numbers without starting with <c>+</c>.
/// </summary>
public static class CallListCsv
{
    static readonly string[] Columns = ["bookingRef", "name", "phone", "email", "start", "officeId", "serviceId", "reason", "calls", "lastCall", "lastCallResult"];

    /// <summary>
    /// The file. The last three columns are the voice calls: how many were made, when the last one started (local
    /// time, like <c>start</c>) and how it ended in words (<see cref="Voice.CallResults"/>, German unless
    /// <paramref name="language"/> says otherwise); all three empty for a citizen who was never called.
    /// </summary>
    public static byte[] Write(IEnumerable<UnreachableCitizen> rows, TimeZoneInfo zone, CultureInfo? language = null)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = ";" }))
        {
            foreach (var header in Columns) csv.WriteField(CsvCells.Neutralise(header));
            csv.NextRecord();
            foreach (var r in rows)
            {
                var called = r.Calls > 0;
                foreach (var field in new[]
                {
                    r.BookingRef, r.Name, Phone(r.Phone), r.Email, OffsetTime.Format(r.Start, zone), r.OfficeId, r.ServiceId, r.Reason,
                    called ? r.Calls.ToString(CultureInfo.InvariantCulture) : null,
                    called && r.LastCallAt is { } last ? OffsetTime.Format(last, zone) : null,
                    called ? Voice.CallResults.Words(r.LastCallResult, language) : null,
                })
                    csv.WriteField(CsvCells.Neutralise(field));
                csv.NextRecord();
            }
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    /// <summary>
    /// An E.164 number (<c>+491701234567</c>) as <c>0049 1701234567</c>: the international prefix a German phone dials
    /// instead of <c>+</c>, and a space after the country code, so Excel keeps it as text (no leading zeros lost,
    /// no formula). Anything else is left to <see cref="CsvCells.Neutralise"/>.
    /// </summary>
    public static string? Phone(string? e164)
    {
        if (e164 is not ['+', .. var digits] || digits.Length < 4 || !digits.All(char.IsAsciiDigit)) return e164;
        var country = PhoneNumberCountry(digits);
        return $"00{digits[..country]} {digits[country..]}";
    }

    static int PhoneNumberCountry(string digits) => Rebooking.Bookings.PhoneNumber.CountryCodeLength(digits);

    public static string FileName(string tenant, Guid outageId) => $"rueckrufliste-{tenant}-{outageId.ToString()[..8]}.csv";
}
