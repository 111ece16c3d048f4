using Rebooking.Data;

namespace Rebooking.Integration;

/// <summary>The change feed's SQL. A change's position is its id on SQLite and its rowversion on SQL Server.</summary>
static class ChangeSql
{
    const string Into = """
        INSERT INTO booking_changes (tenant_id, type, occurred_at, booking_id, booking_ref, outage_id,
                                     new_booking_ref, new_office_id, new_service_id, new_start_utc, new_end_utc)
        """;

    // One change for one affected booking; the new booking's columns only when @NewBookingId is given.
    public const string RecordForAffected = Into + """
        SELECT a.tenant_id, @Type, @Now, a.booking_id, b.external_ref, a.outage_id,
               n.external_ref, n.office_id, n.service_id, n.start_utc, n.end_utc
        FROM affected_bookings a
        JOIN bookings b ON b.id = a.booking_id
        LEFT JOIN bookings n ON n.id = @NewBookingId
        WHERE a.id = @AffectedId
        """;

    // One change per affected booking of a batch, in start order (the order the outage took them).
    public const string RecordForBatch = Into + """
        SELECT a.tenant_id, @Type, @Now, a.booking_id, b.external_ref, a.outage_id, NULL, NULL, NULL, NULL, NULL
        FROM affected_bookings a
        JOIN bookings b ON b.id = a.booking_id
        WHERE a.batch = @Batch
        ORDER BY a.start_utc, a.id
        """;

    const string Columns = """
        c.type AS Type, c.occurred_at AS OccurredAt, c.tenant_id AS TenantId, c.booking_id AS BookingId,
        c.booking_ref AS BookingRef, c.outage_id AS OutageId, c.new_booking_ref AS NewBookingRef,
        c.new_office_id AS NewOfficeId, c.new_service_id AS NewServiceId, c.new_start_utc AS NewStart, c.new_end_utc AS NewEnd
        """;

    // A page of the tenant's feed after position @After, oldest first. On SQL Server only positions below
    // MIN_ACTIVE_ROWVERSION() are read: every lower position is committed or rolled back for good, so a change
    // committed later can never appear behind one already returned.
    public static readonly DialectSql Page = new(
        Sqlite: $"""
            SELECT c.id AS Position, {Columns}
            FROM booking_changes c
            WHERE c.tenant_id = @TenantId AND c.id > @After
            ORDER BY c.id LIMIT @Limit
            """,
        SqlServer: $"""
            SELECT TOP (@Limit) CAST(c.position AS bigint) AS Position, {Columns}
            FROM booking_changes c
            WHERE c.tenant_id = @TenantId AND c.position > CAST(@After AS binary(8)) AND c.position < MIN_ACTIVE_ROWVERSION()
            ORDER BY c.position
            """);

    // The tenant's latest settled position: where a new webhook starts (it receives what happens from now on).
    public static readonly DialectSql LatestPosition = new(
        Sqlite: "SELECT COALESCE(MAX(id), 0) FROM booking_changes WHERE tenant_id = @TenantId",
        SqlServer: "SELECT COALESCE(MAX(CAST(position AS bigint)), 0) FROM booking_changes WHERE tenant_id = @TenantId AND position < MIN_ACTIVE_ROWVERSION()");

    public const string TenantZone = "SELECT time_zone FROM tenants WHERE id = @TenantId";

    // Retention: deliveries done before @Cutoff go, then changes older than @Cutoff that no delivery still needs.
    public const string DeleteOldDeliveries = "DELETE FROM webhook_deliveries WHERE status = 'delivered' AND delivered_at < @Cutoff";

    public const string DeleteOldChanges = """
        DELETE FROM booking_changes
        WHERE occurred_at < @Cutoff AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.change_id = booking_changes.id)
        """;
}
