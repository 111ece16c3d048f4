using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;

namespace Rebooking.Outages;

/// <summary>The hotline's call list as a file Excel opens directly: UTF-8 with BOM, ';' between fields, local times.</summary>
public static class CallListCsv
{
    static readonly string[] Columns = ["bookingRef", "name", "phone", "email", "start", "officeId", "serviceId", "reason"];

    public static byte[] Write(IEnumerable<UnreachableCitizen> rows, TimeZoneInfo zone)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { Delimiter = ";" }))
        {
            foreach (var header in Columns) csv.WriteField(header);
            csv.NextRecord();
            foreach (var r in rows)
            {
                foreach (var field in new[] { r.BookingRef, r.Name, r.Phone, r.Email, OffsetTime.Format(r.Start, zone), r.OfficeId, r.ServiceId, r.Reason })
                    csv.WriteField(field);
                csv.NextRecord();
            }
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text.ToString())];
    }

    public static string FileName(string tenant, Guid outageId) => $"rueckrufliste-{tenant}-{outageId.ToString()[..8]}.csv";
}
