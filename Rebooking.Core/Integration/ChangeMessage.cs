using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rebooking.Integration;

/// <summary>
/// A change as the appointment system receives it, in the feed and as a webhook body. Times in the tenant's
/// zone with offset. No names or contact data: the appointment system has those.
/// </summary>
public sealed record ChangeMessage(
    string Id, string Type, string OccurredAt, string Tenant, string BookingRef, Guid? OutageId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] NewBookingMessage? NewBooking)
{
    public static ChangeMessage From(BookingChange change, TimeZoneInfo zone) => new(
        change.Id, change.Type, OffsetTime.Format(change.OccurredAt, zone), change.TenantId, change.BookingRef, change.OutageId,
        change.NewBookingRef is null ? null : new NewBookingMessage(
            change.NewBookingRef, change.NewOfficeId ?? "", change.NewServiceId ?? "",
            OffsetTime.Format(change.NewStart!.Value, zone), OffsetTime.Format(change.NewEnd!.Value, zone)));

    // Relaxed escaping: "+02:00" stays readable ("\u002B02:00" otherwise). The body is never embedded in HTML.
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The exact bytes a webhook receives and its signature covers (UTF-8 JSON, camelCase).</summary>
    public byte[] ToJsonBytes() => JsonSerializer.SerializeToUtf8Bytes(this, Json);
}

/// <summary>The booking made instead, for <c>booking.rebooked</c>.</summary>
public sealed record NewBookingMessage(string BookingRef, string OfficeId, string ServiceId, string Start, string End);
