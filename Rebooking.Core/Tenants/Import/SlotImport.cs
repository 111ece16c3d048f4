using System.Data;
using Dapper;
using FluentValidation;
using Rebooking.Data;

namespace Rebooking.Tenants.Import;

/// <summary>A slot row as delivered; typed only after validation.</summary>
public sealed record SlotImportRow(string? OfficeId, string? ServiceId, string? Start, string? End, string? Capacity, string? ReservedForOutage)
{
    public static SlotImportRow From(ImportRow row) =>
        new(row["officeId"], row["serviceId"], row["start"], row["end"], row["capacity"], row["reservedForOutage"]);
}

/// <summary>Checks a slot row against the tenant's offices and services.</summary>
public sealed class SlotImportRowValidator : AbstractValidator<SlotImportRow>
{
    public const int MaxCapacity = 1000;

    public SlotImportRowValidator(TenantMasterData tenant)
    {
        RuleFor(r => r.OfficeId).NotEmpty()
            .Must(tenant.HasActiveOffice).WithMessage("Unknown office '{PropertyValue}'.");
        RuleFor(r => r.ServiceId)
            .Must(tenant.HasActiveService).When(r => r.ServiceId is not null).WithMessage("Unknown service '{PropertyValue}'.");
        RuleFor(r => r.Start).NotEmpty().Must(s => OffsetTime.TryParse(s, out _)).WithMessage(Messages.NeedsOffset);
        RuleFor(r => r.End).NotEmpty().Must(s => OffsetTime.TryParse(s, out _)).WithMessage(Messages.NeedsOffset);
        RuleFor(r => r.End).Must((r, end) => Messages.EndsAfterStart(r.Start, end)).WithMessage("'end' must be after 'start'.")
            .When(r => OffsetTime.TryParse(r.Start, out _) && OffsetTime.TryParse(r.End, out _));
        RuleFor(r => r.Capacity).NotEmpty()
            .Must(c => int.TryParse(c, out var n) && n is >= 0 and <= MaxCapacity)
            .WithMessage($"'capacity' must be a whole number from 0 to {MaxCapacity}.");
        RuleFor(r => r.ReservedForOutage).Must(id => Guid.TryParse(id, out _))
            .When(r => r.ReservedForOutage is not null).WithMessage("'reservedForOutage' must be an outage id.");
    }
}

/// <summary>Shared wording of field errors.</summary>
internal static class Messages
{
    public const string NeedsOffset = "Give an ISO 8601 time with an offset, such as 2021-05-06T08:30:00+02:00.";

    public static bool EndsAfterStart(string? start, string? end) =>
        OffsetTime.TryParse(start, out var s) && OffsetTime.TryParse(end, out var e) && e > s;
}

/// <summary>
/// Imports slots. Upsert key: office, service (null = any service), start. Valid rows are stored in one
/// transaction; afterwards every booking of the tenant without a slot is linked to its slot, and each
/// slot's <c>booked</c> count is recomputed from the active bookings holding it.
/// </summary>
public sealed class SlotImport(Db db)
{
    public async Task<ImportResult> ImportAsync(TenantMasterData tenant, IReadOnlyList<ImportRow> rows, CancellationToken ct = default)
    {
        var validator = new SlotImportRowValidator(tenant);
        var errors = new List<ImportError>();
        var valid = new List<object>();
        var seen = new Dictionary<(string, string?, DateTimeOffset), int>();
        foreach (var row in rows)
        {
            if (!row.IsObject) { errors.Add(new ImportError(row.Index, "", "Each row must be an object.")); continue; }
            var slot = SlotImportRow.From(row);
            if (InputText.Check(slot) is { Count: > 0 } unreadable)
            {
                errors.AddRange(unreadable.Select(e => new ImportError(row.Index, e.Key, e.Value[0])));
                continue;
            }
            var result = validator.Validate(slot);
            if (!result.IsValid)
            {
                errors.AddRange(result.Errors.Select(e => new ImportError(row.Index, e.PropertyName, e.ErrorMessage)));
                continue;
            }
            OffsetTime.TryParse(slot.Start, out var start);
            OffsetTime.TryParse(slot.End, out var end);
            if (seen.TryGetValue((slot.OfficeId!, slot.ServiceId, start), out var first))
            {
                errors.Add(new ImportError(row.Index, "start", $"Row {first} already has a slot for this office, service and start."));
                continue;
            }
            seen[(slot.OfficeId!, slot.ServiceId, start)] = row.Index;
            valid.Add(new
            {
                TenantId = tenant.Tenant.Id,
                slot.OfficeId,
                slot.ServiceId,
                Start = start,
                End = end,
                Capacity = int.Parse(slot.Capacity!),
                ReservedForOutage = slot.ReservedForOutage is null ? (Guid?)null : Guid.Parse(slot.ReservedForOutage),
            });
        }

        var (imported, updated) = await db.InTransactionAsync(async (connection, transaction) =>
        {
            int inserted = 0, changed = 0;
            foreach (var slot in valid)
            {
                if (await connection.ExecuteAsync(SlotImportSql.Update, slot, transaction) > 0) changed++;
                else { await connection.ExecuteAsync(SlotImportSql.Insert, slot, transaction); inserted++; }
            }
            await BookingSlots.RelinkAsync(db, connection, transaction, tenant.Tenant.Id);
            return (inserted, changed);
        }, ct, IsolationLevel.Serializable);
        return new ImportResult(imported, updated, errors);
    }
}

internal static class SlotImportSql
{
    // Matches the upsert key; a NULL service only matches a NULL service.
    public const string Update = """
        UPDATE slots SET end_utc = @End, capacity = @Capacity, reserved_for_outage = @ReservedForOutage
        WHERE tenant_id = @TenantId AND office_id = @OfficeId AND start_utc = @Start
          AND ((service_id IS NULL AND @ServiceId IS NULL) OR service_id = @ServiceId)
        """;

    public const string Insert = """
        INSERT INTO slots (tenant_id, office_id, service_id, start_utc, end_utc, capacity, booked, reserved_for_outage)
        VALUES (@TenantId, @OfficeId, @ServiceId, @Start, @End, @Capacity, 0, @ReservedForOutage)
        """;
}

/// <summary>Keeps bookings linked to the slot whose capacity they hold.</summary>
internal static class BookingSlots
{
    // A booking holds the slot with its office and start whose service is its own, or else the slot for
    // any service at that time.
    static readonly DialectSql Link = new(
        Sqlite: """
            UPDATE bookings SET slot_id = (
                SELECT s.id FROM slots s
                WHERE s.tenant_id = bookings.tenant_id AND s.office_id = bookings.office_id AND s.start_utc = bookings.start_utc
                  AND (s.service_id = bookings.service_id OR s.service_id IS NULL)
                ORDER BY CASE WHEN s.service_id IS NULL THEN 1 ELSE 0 END LIMIT 1)
            WHERE tenant_id = @TenantId AND slot_id IS NULL
            """,
        SqlServer: """
            UPDATE bookings SET slot_id = (
                SELECT TOP 1 s.id FROM slots s
                WHERE s.tenant_id = bookings.tenant_id AND s.office_id = bookings.office_id AND s.start_utc = bookings.start_utc
                  AND (s.service_id = bookings.service_id OR s.service_id IS NULL)
                ORDER BY CASE WHEN s.service_id IS NULL THEN 1 ELSE 0 END)
            WHERE tenant_id = @TenantId AND slot_id IS NULL
            """);

    // booked = the number of active bookings holding the slot, for every slot of the tenant.
    const string Recount = """
        UPDATE slots SET booked = (SELECT COUNT(*) FROM bookings b WHERE b.slot_id = slots.id AND b.status = 'booked')
        WHERE tenant_id = @TenantId
        """;

    public static async Task RelinkAsync(Db db, System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, string tenantId)
    {
        await connection.ExecuteAsync(db.Sql(Link), new { TenantId = tenantId }, transaction, commandTimeout: 300);
        await connection.ExecuteAsync(Recount, new { TenantId = tenantId }, transaction, commandTimeout: 300);
    }
}
