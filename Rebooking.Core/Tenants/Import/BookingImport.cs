using System.Data;
using Dapper;
using FluentValidation;
using Rebooking.Bookings;
using Rebooking.Data;

namespace Rebooking.Tenants.Import;

/// <summary>A booking row as delivered; typed only after validation.</summary>
public sealed record BookingImportRow(
    string? ExternalRef, string? OfficeId, string? ServiceId, string? Start, string? End,
    string? Name, string? Phone, string? Email, string? Language)
{
    public static BookingImportRow From(ImportRow row) => new(
        row["externalRef"], row["officeId"], row["serviceId"], row["start"], row["end"],
        row["name"], row["phone"], row["email"], row["language"]);
}

/// <summary>Checks a booking row against the tenant's offices, services and phone numbering.</summary>
public sealed class BookingImportRowValidator : AbstractValidator<BookingImportRow>
{
    public BookingImportRowValidator(TenantMasterData tenant)
    {
        RuleFor(r => r.ExternalRef).NotEmpty().MaximumLength(100);
        RuleFor(r => r.OfficeId).NotEmpty().Must(tenant.HasActiveOffice).WithMessage("Unknown office '{PropertyValue}'.");
        RuleFor(r => r.ServiceId).NotEmpty().Must(tenant.HasActiveService).WithMessage("Unknown service '{PropertyValue}'.");
        RuleFor(r => r.Start).NotEmpty().Must(s => OffsetTime.TryParse(s, out _)).WithMessage(Messages.NeedsOffset);
        RuleFor(r => r.End).NotEmpty().Must(s => OffsetTime.TryParse(s, out _)).WithMessage(Messages.NeedsOffset);
        RuleFor(r => r.End).Must((r, end) => Messages.EndsAfterStart(r.Start, end)).WithMessage("'end' must be after 'start'.")
            .When(r => OffsetTime.TryParse(r.Start, out _) && OffsetTime.TryParse(r.End, out _));
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        // The value is not repeated in the message: import answers end up in integrators' logs.
        RuleFor(r => r.Phone).Must(p => PhoneNumber.Parse(p, tenant.Tenant.DefaultCountryCode) is not null)
            .When(r => !string.IsNullOrWhiteSpace(r.Phone))
            .WithMessage("Not a phone number; use national (0171 2345678) or international (+49 171 2345678) notation.");
        RuleFor(r => r.Email).Must(e => Contact.IsEmail(e!.Trim())).When(r => !string.IsNullOrWhiteSpace(r.Email))
            .WithMessage("Not an email address.");
        RuleFor(r => r.Language).Matches("^[a-z]{2}$").When(r => r.Language is not null)
            .WithMessage("Give a two-letter ISO 639-1 language code such as de or en.");
    }
}

/// <summary>
/// Imports bookings. Upsert key: externalRef within the tenant. Phones are stored in E.164 with their
/// kind (mobile, landline, unknown). An update changes the citizen's data and the appointment's time and
/// place, never its status: a booking cancelled by an outage stays cancelled. Each booking is linked to
/// the slot it occupies, and slot counts are recomputed, in the same transaction.
/// </summary>
public sealed class BookingImport(Db db, TimeProvider clock)
{
    public async Task<ImportResult> ImportAsync(TenantMasterData tenant, IReadOnlyList<ImportRow> rows, CancellationToken ct = default)
    {
        var validator = new BookingImportRowValidator(tenant);
        var errors = new List<ImportError>();
        var valid = new List<BookingRecord>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var now = clock.GetUtcNow();
        foreach (var row in rows)
        {
            if (!row.IsObject) { errors.Add(new ImportError(row.Index, "", "Each row must be an object.")); continue; }
            var booking = BookingImportRow.From(row);
            if (InputText.Check(booking) is { Count: > 0 } unreadable)
            {
                errors.AddRange(unreadable.Select(e => new ImportError(row.Index, e.Key, e.Value[0])));
                continue;
            }
            var result = validator.Validate(booking);
            if (!result.IsValid)
            {
                errors.AddRange(result.Errors.Select(e => new ImportError(row.Index, e.PropertyName, e.ErrorMessage)));
                continue;
            }
            var externalRef = booking.ExternalRef!.Trim();
            if (!seen.TryAdd(externalRef, row.Index))
            {
                errors.Add(new ImportError(row.Index, "externalRef", $"Row {seen[externalRef]} has the same externalRef."));
                continue;
            }
            OffsetTime.TryParse(booking.Start, out var start);
            OffsetTime.TryParse(booking.End, out var end);
            var phone = PhoneNumber.Parse(booking.Phone, tenant.Tenant.DefaultCountryCode);
            valid.Add(new BookingRecord
            {
                TenantId = tenant.Tenant.Id,
                ExternalRef = externalRef,
                OfficeId = booking.OfficeId!,
                ServiceId = booking.ServiceId!,
                Start = start,
                End = end,
                Name = booking.Name!.Trim(),
                Phone = phone?.E164,
                PhoneKind = phone is null ? null : PhoneNumber.KindName(phone.Kind),
                Email = string.IsNullOrWhiteSpace(booking.Email) ? null : booking.Email.Trim(),
                Language = booking.Language ?? "de",
                Now = now,
            });
        }

        var (imported, updated) = await db.InTransactionAsync(async (connection, transaction) =>
        {
            int inserted = 0, changed = 0;
            foreach (var booking in valid)
            {
                if (await connection.ExecuteAsync(BookingImportSql.Update, booking, transaction) > 0) changed++;
                else { await connection.ExecuteAsync(BookingImportSql.Insert, booking, transaction); inserted++; }
            }
            await BookingSlots.RelinkAsync(db, connection, transaction, tenant.Tenant.Id);
            return (inserted, changed);
        }, ct, IsolationLevel.Serializable);
        return new ImportResult(imported, updated, errors);
    }

    sealed class BookingRecord
    {
        public required string TenantId { get; init; }
        public required string ExternalRef { get; init; }
        public required string OfficeId { get; init; }
        public required string ServiceId { get; init; }
        public required DateTimeOffset Start { get; init; }
        public required DateTimeOffset End { get; init; }
        public required string Name { get; init; }
        public string? Phone { get; init; }
        public string? PhoneKind { get; init; }
        public string? Email { get; init; }
        public required string Language { get; init; }
        public required DateTimeOffset Now { get; init; }
    }
}

internal static class BookingImportSql
{
    // Status is left alone; the slot link is dropped and re-made because time or place may have changed.
    public const string Update = """
        UPDATE bookings SET office_id = @OfficeId, service_id = @ServiceId, start_utc = @Start, end_utc = @End,
               name = @Name, phone = @Phone, phone_kind = @PhoneKind, email = @Email, language = @Language,
               slot_id = NULL, updated_at = @Now
        WHERE tenant_id = @TenantId AND external_ref = @ExternalRef
        """;

    public const string Insert = """
        INSERT INTO bookings (tenant_id, external_ref, office_id, service_id, start_utc, end_utc, name, phone, phone_kind,
                              email, language, status, origin, slot_id, created_at, updated_at)
        VALUES (@TenantId, @ExternalRef, @OfficeId, @ServiceId, @Start, @End, @Name, @Phone, @PhoneKind,
                @Email, @Language, 'booked', 'import', NULL, @Now, @Now)
        """;
}
