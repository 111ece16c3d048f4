using Rebooking.Data;

namespace Rebooking.Rebookings;

internal static class RebookingSql
{
    // What the citizen's page (and the hotline) shows of an affected booking. Joins from "a", the affected row.
    const string AffectedColumns = """
        SELECT a.id AS AffectedId, a.outcome AS Outcome, a.outage_id AS OutageId, a.tenant_id AS TenantId,
               a.office_id AS OfficeId, a.service_id AS ServiceId, a.start_utc AS Start, a.new_booking_id AS NewBookingId,
               b.external_ref AS BookingRef, b.end_utc AS "End", b.language AS Language, b.name AS Name, b.phone_kind AS PhoneKind, b.email AS Email,
               f.name AS OfficeName, f.address AS OfficeAddress, sv.name AS ServiceName,
               COALESCE(m.message, o.public_message) AS PublicMessage, COALESCE(m.language, 'de') AS PublicMessageLanguage, o.end_utc AS OutageEnd,
               nb.slot_id AS NewSlotId, nb.start_utc AS NewStart, COALESCE(nb.revision, 0) AS Revision,
               t.name AS TenantName, t.time_zone AS TimeZone, t.contact_phone AS ContactPhone, t.contact_email AS ContactEmail, t.contact_web AS ContactWeb
        """;

    const string AffectedJoins = """
        JOIN bookings b ON b.id = a.booking_id
        JOIN offices f ON f.tenant_id = a.tenant_id AND f.id = a.office_id
        JOIN services sv ON sv.tenant_id = a.tenant_id AND sv.id = a.service_id
        JOIN outages o ON o.id = a.outage_id
        JOIN tenants t ON t.id = a.tenant_id
        LEFT JOIN outage_messages m ON m.outage_id = o.id AND m.language = b.language
        LEFT JOIN bookings nb ON nb.id = a.new_booking_id
        """;

    /// <summary>Found by the link's hash (the primary key: one index seek, nothing that could leak how much of a guessed token matched).</summary>
    public const string FindByLink = AffectedColumns + """
        , l.expires_at AS ExpiresAt
        FROM rebooking_links l JOIN affected_bookings a ON a.id = l.affected_id
        """ + "\n" + AffectedJoins + """

        WHERE l.token_hash = @TokenHash
        """;

    /// <summary>The hotline's way in: an affected booking of @TenantId by its id, no link needed.</summary>
    public const string FindAffected = AffectedColumns + "\n" + """
        FROM affected_bookings a
        """ + "\n" + AffectedJoins + """

        WHERE a.id = @AffectedId AND a.tenant_id = @TenantId
        """;

    /// <summary>
    /// The hotline's search: affected bookings of @TenantId whose reference equals @Ref or whose name contains
    /// @NamePattern (a LIKE pattern with '\' as escape), the appointments soonest first, at most 25.
    /// </summary>
    public static readonly DialectSql SearchAffected = new(
        Sqlite: AffectedColumns + "\n" + """
            FROM affected_bookings a
            """ + "\n" + AffectedJoins + """

            WHERE a.tenant_id = @TenantId AND (b.external_ref = @Ref COLLATE NOCASE OR b.name LIKE @NamePattern ESCAPE '\')
            ORDER BY CASE a.outcome WHEN 'open' THEN 0 ELSE 1 END, a.start_utc LIMIT 25
            """,
        SqlServer: "SELECT TOP (25) " + AffectedColumns.TrimStart()["SELECT ".Length..] + "\n" + """
            FROM affected_bookings a
            """ + "\n" + AffectedJoins + """

            WHERE a.tenant_id = @TenantId AND (b.external_ref = @Ref OR b.name LIKE @NamePattern ESCAPE '\')
            ORDER BY CASE a.outcome WHEN 'open' THEN 0 ELSE 1 END, a.start_utc
            """);

    public const string NewBooking = """
        SELECT b.external_ref AS BookingRef, f.name AS OfficeName, f.address AS OfficeAddress, b.start_utc AS Start, b.end_utc AS "End"
        FROM bookings b JOIN offices f ON f.tenant_id = b.tenant_id AND f.id = b.office_id WHERE b.id = @Id
        """;

    const string OfferColumns = """
        SELECT s.id AS SlotId, s.office_id AS OfficeId, f.name AS OfficeName, s.start_utc AS Start, s.end_utc AS "End"
        FROM slots s JOIN offices f ON f.tenant_id = s.tenant_id AND f.id = s.office_id
        """;

    /// <summary>
    /// A slot the citizen of @OutageId may take for @ServiceId: free, from @From to @Until, not reserved for
    /// another outage, and not inside any outage (open-ended: until resolved) that covers its office and
    /// this service.
    /// </summary>
    const string Offerable = """
        WHERE s.tenant_id = @TenantId AND f.active = 1
          AND (s.service_id = @ServiceId OR s.service_id IS NULL)
          AND s.start_utc >= @From AND s.start_utc < @Until
          AND s.booked < s.capacity
          AND (s.reserved_for_outage IS NULL OR s.reserved_for_outage = @OutageId)
          AND NOT EXISTS (
              SELECT 1 FROM outages o WHERE o.tenant_id = s.tenant_id
                AND s.start_utc >= o.start_utc AND (o.end_utc IS NULL OR s.start_utc < o.end_utc)
                AND (NOT EXISTS (SELECT 1 FROM outage_scope x WHERE x.outage_id = o.id AND x.kind = 'office')
                     OR EXISTS (SELECT 1 FROM outage_scope x WHERE x.outage_id = o.id AND x.kind = 'office' AND x.ref_id = s.office_id))
                AND (NOT EXISTS (SELECT 1 FROM outage_scope x WHERE x.outage_id = o.id AND x.kind = 'service')
                     OR EXISTS (SELECT 1 FROM outage_scope x WHERE x.outage_id = o.id AND x.kind = 'service' AND x.ref_id = @ServiceId))
                AND NOT EXISTS (SELECT 1 FROM outage_scope x WHERE x.outage_id = o.id AND x.kind = 'exempt' AND x.ref_id = @ServiceId))
        """;

    // The earliest @OfferCount slots of each office, ranked in the database so only what is shown travels.
    // Window functions read the same on SQLite (3.25+) and SQL Server.
    public const string Offers = """
        SELECT SlotId, OfficeId, OfficeName, Start, "End" FROM (
            SELECT s.id AS SlotId, s.office_id AS OfficeId, f.name AS OfficeName, s.start_utc AS Start, s.end_utc AS "End",
                   ROW_NUMBER() OVER (PARTITION BY s.office_id ORDER BY s.start_utc, s.id) AS OfficeRank
            FROM slots s JOIN offices f ON f.tenant_id = s.tenant_id AND f.id = s.office_id
        """ + "\n" + Offerable + """
        ) ranked
        WHERE OfficeRank <= @OfferCount
        ORDER BY Start, SlotId
        """;

    public const string Offer = OfferColumns + "\n" + Offerable + " AND s.id = @SlotId";

    // Takes one unit; 0 rows means the slot is full. Atomic on both engines, whatever the concurrency.
    public const string TakeUnit = "UPDATE slots SET booked = booked + 1 WHERE id = @SlotId AND booked < capacity";

    public static readonly DialectSql InsertBooking = new(
        Sqlite: """
            INSERT INTO bookings (tenant_id, external_ref, office_id, service_id, start_utc, end_utc, name, phone, phone_kind, email, language,
                                  status, origin, slot_id, created_at, updated_at)
            SELECT b.tenant_id, @Ref, @OfficeId, b.service_id, @Start, @End, b.name, b.phone, b.phone_kind, b.email, b.language,
                   'booked', 'rebooking', @SlotId, @Now, @Now
            FROM bookings b JOIN affected_bookings a ON a.booking_id = b.id WHERE a.id = @AffectedId
            RETURNING id
            """,
        SqlServer: """
            INSERT INTO bookings (tenant_id, external_ref, office_id, service_id, start_utc, end_utc, name, phone, phone_kind, email, language,
                                  status, origin, slot_id, created_at, updated_at)
            OUTPUT inserted.id
            SELECT b.tenant_id, @Ref, @OfficeId, b.service_id, @Start, @End, b.name, b.phone, b.phone_kind, b.email, b.language,
                   'booked', 'rebooking', @SlotId, @Now, @Now
            FROM bookings b JOIN affected_bookings a ON a.booking_id = b.id WHERE a.id = @AffectedId
            """);

    // Guarded: only an open outcome changes, so a second booking or decline with the same link does nothing.
    public const string MarkRebooked = """
        UPDATE affected_bookings SET outcome = 'rebooked', new_booking_id = @NewBookingId, updated_at = @Now
        WHERE id = @AffectedId AND outcome = 'open'
        """;

    public const string MarkDeclined = "UPDATE affected_bookings SET outcome = 'declined', updated_at = @Now WHERE id = @AffectedId AND outcome = 'open'";

    // The first confirmation keeps its old key; each change adds ':' and the new revision, so every change is told once.
    public const string QueueConfirmation = """
        INSERT INTO notifications (tenant_id, booking_id, affected_id, kind, dedupe_key, status, priority_at, due_at, attempts, created_at)
        VALUES (@TenantId, @NewBookingId, @AffectedId, 'confirmation',
                CASE WHEN @Revision = 0 THEN CONCAT('confirmation:', @AffectedId) ELSE CONCAT('confirmation:', @AffectedId, ':', @Revision) END,
                'queued', @Start, @Now, 0, @Now)
        """;

    // Moves the new appointment to another slot. Guarded by the revision read with the link: of two tabs
    // changing at once, the second finds 0 rows and changes nothing.
    public const string MoveBooking = """
        UPDATE bookings SET office_id = @OfficeId, start_utc = @Start, end_utc = @End, slot_id = @SlotId,
               revision = revision + 1, updated_at = @Now
        WHERE id = @NewBookingId AND revision = @Revision AND status = 'booked'
        """;

    // Cancels the new appointment, guarded like MoveBooking.
    public const string CancelBooking = """
        UPDATE bookings SET status = 'cancelled', revision = revision + 1, updated_at = @Now
        WHERE id = @NewBookingId AND revision = @Revision AND status = 'booked'
        """;

    // Gives back the unit the appointment held; never below zero.
    public const string ReleaseUnit = "UPDATE slots SET booked = booked - 1 WHERE id = @SlotId AND booked > 0";

    public const string MarkRebookedDeclined = """
        UPDATE affected_bookings SET outcome = 'declined', updated_at = @Now WHERE id = @AffectedId AND outcome = 'rebooked'
        """;

    // A confirmation not yet sent is withdrawn when the appointment changes again: the next one tells the latest state.
    public const string WithdrawQueuedConfirmations = """
        UPDATE notifications SET status = 'withdrawn' WHERE affected_id = @AffectedId AND kind = 'confirmation' AND status = 'queued'
        """;
}
