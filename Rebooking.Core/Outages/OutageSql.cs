using Rebooking.Data;

namespace Rebooking.Outages;

internal static class OutageSql
{
    public const string InsertOutage = """
        INSERT INTO outages (id, tenant_id, incident_id, start_utc, end_utc, covered_until_utc, reason, public_message, notify,
                             status, desired_version, synced_version, created_at, created_by, updated_at)
        VALUES (@Id, @TenantId, @IncidentId, @Start, @End, @CoveredUntil, @Reason, @PublicMessage, @Notify,
                'accepted', 1, 0, @Now, @Actor, @Now)
        """;

    // A translation of the public message; the key (outage, language) keeps one per language.
    public const string InsertPublicMessage = "INSERT INTO outage_messages (outage_id, language, message) VALUES (@OutageId, @Language, @Message)";

    public const string InsertScope = "INSERT INTO outage_scope (outage_id, kind, ref_id) VALUES (@OutageId, @Kind, @RefId)";

    public const string InsertIncident = "INSERT INTO incidents (id, created_at, created_by) VALUES (@Id, @Now, @Actor)";

    /// <summary>
    /// The bookings outage @OutageId covers in [@From, @Until) that no outage has cancelled yet. `b` is
    /// bookings. Scope rows: none of a kind = all; exempt services never count.
    /// </summary>
    public const string InScope = """
        b.tenant_id = @TenantId AND b.status = 'booked' AND b.start_utc >= @From AND b.start_utc < @Until
        AND (NOT EXISTS (SELECT 1 FROM outage_scope s WHERE s.outage_id = @OutageId AND s.kind = 'office')
             OR EXISTS (SELECT 1 FROM outage_scope s WHERE s.outage_id = @OutageId AND s.kind = 'office' AND s.ref_id = b.office_id))
        AND (NOT EXISTS (SELECT 1 FROM outage_scope s WHERE s.outage_id = @OutageId AND s.kind = 'service')
             OR EXISTS (SELECT 1 FROM outage_scope s WHERE s.outage_id = @OutageId AND s.kind = 'service' AND s.ref_id = b.service_id))
        AND NOT EXISTS (SELECT 1 FROM outage_scope s WHERE s.outage_id = @OutageId AND s.kind = 'exempt' AND s.ref_id = b.service_id)
        AND NOT EXISTS (SELECT 1 FROM affected_bookings a WHERE a.booking_id = b.id AND a.outcome <> 'reinstated')
        """;

    /// <summary>"Can we tell this citizen?" (<see cref="Notifications.ChannelRule.Reachable"/>)</summary>
    const string Reachable = Notifications.ChannelSql.Reachable;

    // Preview: what the declaration would affect, by office, service and the contacts the rule reads (ChannelRule in C#).
    public const string PreviewCounts = $"""
        SELECT b.office_id AS OfficeId, b.service_id AS ServiceId, b.phone_kind AS PhoneKind,
               CASE WHEN b.email IS NOT NULL THEN 1 ELSE 0 END AS HasEmail, COUNT(*) AS Count
        FROM bookings b WHERE {InScope}
        GROUP BY b.office_id, b.service_id, b.phone_kind, CASE WHEN b.email IS NOT NULL THEN 1 ELSE 0 END
        """;

    /// <summary>
    /// Preview: the covered bookings grouped by what their cancellation depends on (office, language, time and
    /// which contacts they have), so the SMS is composed once per group, not once per citizen.
    /// </summary>
    public const string PreviewRecipients = $"""
        SELECT b.office_id AS OfficeId, b.language AS Language, b.start_utc AS Start, b.end_utc AS "End",
               b.phone_kind AS PhoneKind, CASE WHEN b.email IS NOT NULL THEN 1 ELSE 0 END AS HasEmail, COUNT(*) AS Count
        FROM bookings b WHERE {InScope}
        GROUP BY b.office_id, b.language, b.start_utc, b.end_utc, b.phone_kind, CASE WHEN b.email IS NOT NULL THEN 1 ELSE 0 END
        """;

    // Takes the next batch of covered bookings, soonest first, into this outage under a new batch id. The
    // unique index on affected_bookings(booking_id) makes a second worker's attempt fail instead of double up.
    public static readonly DialectSql ClaimBatch = new(
        Sqlite: $"""
            INSERT INTO affected_bookings (outage_id, booking_id, tenant_id, office_id, service_id, start_utc, outcome, contact,
                                           unreachable_reason, batch, created_at, updated_at)
            SELECT @OutageId, b.id, b.tenant_id, b.office_id, b.service_id, b.start_utc, 'open',
                   CASE WHEN {Reachable} THEN 'pending' ELSE 'unreachable' END,
                   CASE WHEN {Reachable} THEN NULL ELSE 'no-contact' END, @Batch, @Now, @Now
            FROM bookings b WHERE {InScope}
            ORDER BY b.start_utc LIMIT @BatchSize
            """,
        SqlServer: $"""
            INSERT INTO affected_bookings (outage_id, booking_id, tenant_id, office_id, service_id, start_utc, outcome, contact,
                                           unreachable_reason, batch, created_at, updated_at)
            SELECT TOP (@BatchSize) @OutageId, b.id, b.tenant_id, b.office_id, b.service_id, b.start_utc, 'open',
                   CASE WHEN {Reachable} THEN 'pending' ELSE 'unreachable' END,
                   CASE WHEN {Reachable} THEN NULL ELSE 'no-contact' END, @Batch, @Now, @Now
            FROM bookings b WITH (UPDLOCK, READPAST, ROWLOCK) WHERE {InScope}
            ORDER BY b.start_utc
            """);

    public const string CancelBatchBookings = """
        UPDATE bookings SET status = 'cancelled', updated_at = @Now
        WHERE id IN (SELECT booking_id FROM affected_bookings WHERE batch = @Batch) AND status = 'booked'
        """;

    /// <summary>Units each slot held for the bookings of batch @Batch.</summary>
    const string BatchSlotUnits = """
        SELECT b.slot_id AS slot_id, COUNT(*) AS units FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id
        WHERE a.batch = @Batch AND b.slot_id IS NOT NULL GROUP BY b.slot_id
        """;

    // Gives the capacity held by the batch's bookings back to their slots (never below zero), in one join.
    public static readonly DialectSql ReleaseBatchSlots = new(
        Sqlite: $"""
            UPDATE slots SET booked = CASE WHEN booked > u.units THEN booked - u.units ELSE 0 END
            FROM ({BatchSlotUnits}) u WHERE slots.id = u.slot_id
            """,
        SqlServer: $"""
            UPDATE s SET booked = CASE WHEN s.booked > u.units THEN s.booked - u.units ELSE 0 END
            FROM slots s JOIN ({BatchSlotUnits}) u ON s.id = u.slot_id
            """);

    // Queues one cancellation per reachable booking of the batch; dedupe_key makes a re-run harmless.
    public const string QueueBatchCancellations = """
        INSERT INTO notifications (tenant_id, booking_id, affected_id, kind, dedupe_key, status, priority_at, due_at, attempts, created_at)
        SELECT a.tenant_id, a.booking_id, a.id, 'cancellation', CONCAT('cancellation:', a.id), 'queued', a.start_utc, @Now, 0, @Now
        FROM affected_bookings a
        WHERE a.batch = @Batch AND a.contact = 'pending'
        """;

    // Catches up cancellations for open, reachable affected bookings without one (affected while notify was off).
    // A citizen pending because a call is queued for them (a landline only) is the call's, not a message's.
    public const string QueueMissingCancellations = """
        INSERT INTO notifications (tenant_id, booking_id, affected_id, kind, dedupe_key, status, priority_at, due_at, attempts, created_at)
        SELECT a.tenant_id, a.booking_id, a.id, 'cancellation', CONCAT('cancellation:', a.id), 'queued', a.start_utc, @Now, 0, @Now
        FROM affected_bookings a
        WHERE a.outage_id = @OutageId AND a.outcome = 'open' AND a.contact = 'pending'
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = CONCAT('cancellation:', a.id))
          AND NOT EXISTS (SELECT 1 FROM voice_calls c WHERE c.affected_id = a.id AND c.kind = 'cancellation')
        """;

    // The latest start a batch took: the next batch starts there, instead of rescanning what is cancelled.
    public const string BatchLastStart = "SELECT MAX(start_utc) FROM affected_bookings WHERE batch = @Batch";

    // Reinstatement after shortening or resolving: affected bookings still open that start at or after the
    // outage's new end. First the ones whose citizen was never told: their queued message is withdrawn and the
    // booking simply was never affected.
    public const string WithdrawUntoldCancellations = """
        UPDATE notifications SET status = 'withdrawn'
        WHERE kind = 'cancellation' AND status = 'queued'
          AND affected_id IN (SELECT id FROM affected_bookings WHERE outage_id = @OutageId AND outcome = 'open' AND start_utc >= @Until)
        """;

    /// <summary>Affected rows past the end whose citizen was not told and cannot be being told right now.</summary>
    const string Untold = """
        outage_id = @OutageId AND outcome = 'open' AND start_utc >= @Until AND contact IN ('pending', 'unreachable')
        AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.affected_id = affected_bookings.id
                        AND n.status NOT IN ('withdrawn', 'failed'))
        """;

    public const string MarkUntoldBatch = $"UPDATE affected_bookings SET batch = @Batch WHERE {Untold}";

    // Links of attempts that never reached the citizen (a failed SMS) go with the row.
    public const string DeleteUntoldLinks = "DELETE FROM rebooking_links WHERE affected_id IN (SELECT id FROM affected_bookings WHERE batch = @Batch)";

    public const string DeleteUntoldNotifications = "DELETE FROM notifications WHERE affected_id IN (SELECT id FROM affected_bookings WHERE batch = @Batch)";

    public const string DeleteUntold = "DELETE FROM affected_bookings WHERE batch = @Batch";

    // The rest past the end were told (or a message is on its way): they become 'reinstated' and hear so.
    public const string MarkReinstated = """
        UPDATE affected_bookings SET outcome = 'reinstated', batch = @Batch, updated_at = @Now
        WHERE outage_id = @OutageId AND outcome = 'open' AND start_utc >= @Until
        """;

    public const string QueueReinstatements = """
        INSERT INTO notifications (tenant_id, booking_id, affected_id, kind, dedupe_key, status, priority_at, due_at, attempts, created_at)
        SELECT a.tenant_id, a.booking_id, a.id, 'reinstatement', CONCAT('reinstatement:', a.id), 'queued', a.start_utc, @Now, 0, @Now
        FROM affected_bookings a
        WHERE a.batch = @Batch AND a.outcome = 'reinstated'
          AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.dedupe_key = CONCAT('reinstatement:', a.id))
        """;

    /// <summary>Bookings of a batch (selected by @Batch) become active again, if still cancelled.</summary>
    public const string RestoreBatchBookings = """
        UPDATE bookings SET status = 'booked', updated_at = @Now
        WHERE id IN (SELECT booking_id FROM affected_bookings WHERE batch = @Batch) AND status = 'cancelled'
        """;

    // Takes capacity again for restored bookings. Their slot lay inside the outage, where nothing was offered,
    // so it is still free; if an import shrank it meanwhile the original appointment still wins.
    public static readonly DialectSql TakeBatchSlots = new(
        Sqlite: $"UPDATE slots SET booked = booked + u.units FROM ({BatchSlotUnits}) u WHERE slots.id = u.slot_id",
        SqlServer: $"UPDATE s SET booked = s.booked + u.units FROM slots s JOIN ({BatchSlotUnits}) u ON s.id = u.slot_id");

    // Claims one outage whose definition changed since it was last processed and whose lease is free.
    public static readonly DialectSql ClaimOutage = new(
        Sqlite: """
            UPDATE outages SET lease_owner = @Owner, lease_until = @LeaseUntil,
                   status = CASE WHEN status = 'resolved' THEN status ELSE 'processing' END,
                   processing_started_at = COALESCE(processing_started_at, @Now)
            WHERE id = (SELECT id FROM outages WHERE synced_version < desired_version AND (lease_until IS NULL OR lease_until < @Now)
                        ORDER BY created_at LIMIT 1)
            RETURNING id AS Id, desired_version AS Version
            """,
        SqlServer: """
            WITH next AS (
                SELECT TOP (1) * FROM outages WITH (UPDLOCK, READPAST, ROWLOCK)
                WHERE synced_version < desired_version AND (lease_until IS NULL OR lease_until < @Now)
                ORDER BY created_at)
            UPDATE next SET lease_owner = @Owner, lease_until = @LeaseUntil,
                   status = CASE WHEN status = 'resolved' THEN status ELSE 'processing' END,
                   processing_started_at = COALESCE(processing_started_at, @Now)
            OUTPUT inserted.id AS Id, inserted.desired_version AS Version;
            """);

    // Renews the lease inside each batch's transaction: a worker that lost its lease commits nothing more.
    public const string RenewLease = "UPDATE outages SET lease_until = @LeaseUntil WHERE id = @OutageId AND lease_owner = @Owner";

    public const string SelectDefinition = """
        SELECT id AS Id, tenant_id AS TenantId, start_utc AS Start, covered_until_utc AS CoveredUntil, notify AS Notify
        FROM outages WHERE id = @OutageId
        """;

    // Records that the outage matches its definition as of @Version; a newer change keeps it pending.
    public const string CompleteSync = """
        UPDATE outages SET synced_version = @Version, lease_owner = NULL, lease_until = NULL,
               status = CASE WHEN status = 'resolved' THEN status WHEN @Version = desired_version THEN 'active' ELSE status END,
               processing_completed_at = @Now, updated_at = @Now
        WHERE id = @OutageId AND lease_owner = @Owner
        """;

    public const string ReleaseLease = "UPDATE outages SET lease_owner = NULL, lease_until = NULL WHERE id = @OutageId AND lease_owner = @Owner";

    // Every change to an outage's definition bumps desired_version in the same statement as the change.
    public const string UpdateEnd = """
        UPDATE outages SET end_utc = @End, covered_until_utc = @CoveredUntil, desired_version = desired_version + 1, updated_at = @Now
        WHERE id = @OutageId AND tenant_id = @TenantId AND status <> 'resolved'
        """;

    public const string UpdateNotify = """
        UPDATE outages SET notify = @Notify, desired_version = desired_version + 1, updated_at = @Now
        WHERE id = @OutageId AND tenant_id = @TenantId AND status <> 'resolved'
        """;

    public const string UpdatePublicMessage = """
        UPDATE outages SET public_message = @PublicMessage, updated_at = @Now
        WHERE id = @OutageId AND tenant_id = @TenantId AND status <> 'resolved'
        """;

    public const string Resolve = """
        UPDATE outages SET end_utc = @At, covered_until_utc = CASE WHEN covered_until_utc < @At THEN covered_until_utc ELSE @At END,
               resolved_at = @Now, status = 'resolved', desired_version = desired_version + 1, updated_at = @Now
        WHERE id = @OutageId AND tenant_id = @TenantId AND status <> 'resolved'
        """;

    // Open-ended outages still running, for the daily roll.
    public const string SelectOpenEnded = """
        SELECT o.id AS Id, o.start_utc AS Start, o.covered_until_utc AS CoveredUntil, t.time_zone AS TimeZone
        FROM outages o JOIN tenants t ON t.id = o.tenant_id
        WHERE o.end_utc IS NULL AND o.status <> 'resolved'
        """;

    public const string Roll = """
        UPDATE outages SET covered_until_utc = @CoveredUntil, desired_version = desired_version + 1, updated_at = @Now
        WHERE id = @OutageId AND end_utc IS NULL AND status <> 'resolved' AND covered_until_utc < @CoveredUntil
        """;

    public const string SelectOutageColumns = """
        SELECT o.id AS Id, o.tenant_id AS TenantId, o.incident_id AS IncidentId, o.status AS Status, o.start_utc AS Start,
               o.end_utc AS "End", o.covered_until_utc AS CoveredUntil, o.reason AS Reason, o.public_message AS PublicMessage,
               o.notify AS Notify, o.created_at AS CreatedAt, o.created_by AS CreatedBy, o.resolved_at AS ResolvedAt,
               CASE WHEN o.synced_version = o.desired_version THEN 1 ELSE 0 END AS ProcessingComplete
        FROM outages o
        """;

    public const string SelectOutage = SelectOutageColumns + " WHERE o.id = @OutageId AND o.tenant_id = @TenantId";

    /// <summary>For the console, which learns the tenant from the outage and then checks the caller's access.</summary>
    public const string SelectOutageAnyTenant = SelectOutageColumns + " WHERE o.id = @OutageId";

    public const string SelectOutages = SelectOutageColumns + " WHERE o.tenant_id = @TenantId ORDER BY o.start_utc DESC";

    public const string SelectScopeOfOutage = "SELECT outage_id AS OutageId, kind AS Kind, ref_id AS RefId FROM outage_scope WHERE outage_id = @OutageId";

    public const string SelectScopeOfTenant = """
        SELECT s.outage_id AS OutageId, s.kind AS Kind, s.ref_id AS RefId
        FROM outage_scope s JOIN outages o ON o.id = s.outage_id WHERE o.tenant_id = @TenantId
        """;

    // The figures are counted, not computed, in SQL: one row per (outage, office, contact, outcome) with the
    // number of affected bookings in that state, summed into the contract's figures by OutageFigures in C#.
    // Grouping in the order of ix_affected_figures (outage_id, office_id, contact, outcome) lets SQLite count
    // while it walks the covering index, without a temporary B-tree and without evaluating nine CASE sums
    // per row: the regional overview's 100,000 rows cost about a third of what the SUM(CASE ...) form did
    // (docs/performance.md). One statement per answer still reads one snapshot, and each row is in exactly
    // one contact and one outcome state, so the invariants hold in every answer.
    const string FigureColumns = "a.outage_id AS OutageId, a.office_id AS OfficeId, a.contact AS Contact, a.outcome AS Outcome, COUNT(*) AS Tally";
    const string FigureGroups = " GROUP BY a.outage_id, a.office_id, a.contact, a.outcome";

    /// <summary>Figures of every outage of @TenantId, counted by outage, office and state, in one statement whatever the number of outages.</summary>
    public const string TenantOutageStats = "SELECT " + FigureColumns + """
         FROM affected_bookings a
        WHERE a.outage_id IN (SELECT o.id FROM outages o WHERE o.tenant_id = @TenantId)
        """ + FigureGroups;

    // The region's statements count per outage first (in the index's order), then name each outage's tenant.
    const string FiguresWithTenant = "SELECT o.tenant_id AS TenantId, g.OutageId, g.OfficeId, g.Contact, g.Outcome, g.Tally FROM (SELECT " + FigureColumns;
    const string FiguresWithTenantEnd = FigureGroups + ") g JOIN outages o ON o.id = g.OutageId";

    /// <summary>Figures of all unresolved outages, counted per outage and state with their tenant: one statement for the whole region.</summary>
    public const string ActiveStatsByTenant = FiguresWithTenant + """
         FROM affected_bookings a
        WHERE a.outage_id IN (SELECT o2.id FROM outages o2 WHERE o2.status <> 'resolved')
        """ + FiguresWithTenantEnd;

    /// <summary>Unresolved outages per tenant, and how many of them the worker has not caught up with yet.</summary>
    public const string ActiveOutagesByTenant = """
        SELECT tenant_id AS TenantId, COUNT(*) AS Outages,
               SUM(CASE WHEN synced_version < desired_version THEN 1 ELSE 0 END) AS Incomplete
        FROM outages WHERE status <> 'resolved' GROUP BY tenant_id
        """;

    /// <summary>Figures of the outages of incident @IncidentId, counted per outage and state with their tenant.</summary>
    public const string IncidentStatsByTenant = FiguresWithTenant + """
         FROM affected_bookings a
        WHERE a.outage_id IN (SELECT o2.id FROM outages o2 WHERE o2.incident_id = @IncidentId)
        """ + FiguresWithTenantEnd;

    /// <summary>The outages of incident @IncidentId per tenant (one each, as declared), and their processing state.</summary>
    public const string IncidentOutagesByTenant = """
        SELECT tenant_id AS TenantId, COUNT(*) AS Outages,
               SUM(CASE WHEN synced_version < desired_version THEN 1 ELSE 0 END) AS Incomplete
        FROM outages WHERE incident_id = @IncidentId GROUP BY tenant_id
        """;

    /// <summary>The incident, if it exists: when and by whom it was declared.</summary>
    public const string SelectIncident = "SELECT id AS Id, created_at AS CreatedAt FROM incidents WHERE id = @IncidentId";

    /// <summary>Incidents with at least one unresolved outage, newest first.</summary>
    public const string SelectActiveIncidents = """
        SELECT i.id AS Id, i.created_at AS CreatedAt FROM incidents i
        WHERE EXISTS (SELECT 1 FROM outages o WHERE o.incident_id = i.id AND o.status <> 'resolved')
        ORDER BY i.created_at DESC
        """;

    public const string OutageStats = "SELECT " + FigureColumns + " FROM affected_bookings a WHERE a.outage_id = @OutageId" + FigureGroups;

    // Outages of the tenant whose window overlaps [@From, @To); an open-ended outage reaches to its coverage.
    const string TenantOutagesInRange = """
        SELECT o.id FROM outages o WHERE o.tenant_id = @TenantId
          AND (@To IS NULL OR o.start_utc < @To)
          AND (@From IS NULL OR COALESCE(o.end_utc, o.covered_until_utc) > @From)
        """;

    public const string TenantStats = "SELECT " + FigureColumns + " FROM affected_bookings a WHERE a.outage_id IN (" + TenantOutagesInRange + ")" + FigureGroups;

    public const string TenantProcessingIncomplete = "SELECT COUNT(*) FROM outages WHERE synced_version < desired_version AND id IN (" + TenantOutagesInRange + ")";

    // The hotline's list: affected citizens we could not reach whose appointment is still open.
    // Who is on the hotline's call list: unreachable and not yet rebooked, declined or reinstated.
    const string OnCallList = "a.outage_id = @OutageId AND a.contact = 'unreachable' AND a.outcome = 'open'";

    // The call list with each citizen's cancellation calls (at most one call job per affected row: its dedupe key),
    // in the same statement: how many attempts, when the last one started, and how it ended — the call's state
    // while a person or a tape picked up or it is ringing, else Twilio's last word (busy, no-answer, …).
    public const string CallList = """
        SELECT b.external_ref AS BookingRef, b.name AS Name, b.phone AS Phone, b.email AS Email, a.start_utc AS Start,
               a.office_id AS OfficeId, a.service_id AS ServiceId,
               CASE WHEN c.status = 'unreachable' THEN 'phone' ELSE a.unreachable_reason END AS Reason,
               COALESCE(c.attempts, 0) AS Calls,
               CASE WHEN c.attempts > 0 THEN c.last_call_at END AS LastCallAt,
               CASE WHEN c.attempts > 0 THEN
                   CASE WHEN c.status IN ('calling', 'answered', 'machine') THEN c.status ELSE c.last_result END
               END AS LastCallResult
        FROM affected_bookings a JOIN bookings b ON b.id = a.booking_id
        LEFT JOIN voice_calls c ON c.affected_id = a.id AND c.tenant_id = a.tenant_id AND c.kind = 'cancellation'
        WHERE
        """ + " " + OnCallList + """

        ORDER BY a.start_utc, b.external_ref
        """;

    public const string CallListCount = "SELECT COUNT(*) FROM affected_bookings a WHERE " + OnCallList;

    /// <summary>
    /// Events per second and kind: bookings found affected, cancellations a provider accepted, rebookings.
    /// Grouped in the database, so a 100k outage yields at most a few thousand rows.
    /// </summary>
    public static readonly DialectSql Timeline = new(
        Sqlite: """
            SELECT substr(a.created_at, 1, 19) || 'Z' AS At, 'affected' AS Kind, COUNT(*) AS Count
            FROM affected_bookings a WHERE a.outage_id = @OutageId GROUP BY substr(a.created_at, 1, 19)
            UNION ALL
            SELECT substr(n.sent_at, 1, 19) || 'Z', 'notified', COUNT(*)
            FROM notifications n JOIN affected_bookings a ON a.id = n.affected_id
            WHERE a.outage_id = @OutageId AND n.kind = 'cancellation' AND n.status IN ('accepted', 'delivered', 'undelivered') AND n.sent_at IS NOT NULL
            GROUP BY substr(n.sent_at, 1, 19)
            UNION ALL
            SELECT substr(nb.created_at, 1, 19) || 'Z', 'rebooked', COUNT(*)
            FROM affected_bookings a JOIN bookings nb ON nb.id = a.new_booking_id
            WHERE a.outage_id = @OutageId AND a.outcome = 'rebooked'
            GROUP BY substr(nb.created_at, 1, 19)
            """,
        SqlServer: """
            SELECT DATEADD(second, DATEDIFF(second, '2000-01-01', a.created_at), '2000-01-01') AS At, 'affected' AS Kind, COUNT(*) AS Count
            FROM affected_bookings a WHERE a.outage_id = @OutageId
            GROUP BY DATEADD(second, DATEDIFF(second, '2000-01-01', a.created_at), '2000-01-01')
            UNION ALL
            SELECT DATEADD(second, DATEDIFF(second, '2000-01-01', n.sent_at), '2000-01-01'), 'notified', COUNT(*)
            FROM notifications n JOIN affected_bookings a ON a.id = n.affected_id
            WHERE a.outage_id = @OutageId AND n.kind = 'cancellation' AND n.status IN ('accepted', 'delivered', 'undelivered') AND n.sent_at IS NOT NULL
            GROUP BY DATEADD(second, DATEDIFF(second, '2000-01-01', n.sent_at), '2000-01-01')
            UNION ALL
            SELECT DATEADD(second, DATEDIFF(second, '2000-01-01', nb.created_at), '2000-01-01'), 'rebooked', COUNT(*)
            FROM affected_bookings a JOIN bookings nb ON nb.id = a.new_booking_id
            WHERE a.outage_id = @OutageId AND a.outcome = 'rebooked'
            GROUP BY DATEADD(second, DATEDIFF(second, '2000-01-01', nb.created_at), '2000-01-01')
            """);
}
