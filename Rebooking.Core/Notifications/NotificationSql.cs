using Rebooking.Data;

namespace Rebooking.Notifications;

internal static class NotificationSql
{
    // Claims due messages, soonest appointment first, plus messages whose worker's lease ran out (its
    // attempt may or may not have gone out: in_flight tells). Each claim counts as an attempt.
    // SQLite: each arm is limited on its own, so the queued arm walks ix_notifications_due in priority order and
    // stops after a batch; sorting the union as a whole read and sorted every queued message (100,000 on an
    // outage day) on each claim, with the write lock held.
    public static readonly DialectSql Claim = new(
        Sqlite: """
            UPDATE notifications SET status = 'sending', lease_owner = @Owner, lease_until = @LeaseUntil, attempts = attempts + 1
            WHERE id IN (
                SELECT id FROM (
                    SELECT * FROM (
                        SELECT id, priority_at FROM notifications WHERE status = 'queued' AND due_at <= @Now ORDER BY priority_at LIMIT @BatchSize)
                    UNION ALL
                    SELECT * FROM (
                        SELECT id, priority_at FROM notifications WHERE status = 'sending' AND lease_until < @Now ORDER BY priority_at LIMIT @BatchSize))
                ORDER BY priority_at LIMIT @BatchSize)
            """,
        SqlServer: """
            WITH due AS (
                SELECT TOP (@BatchSize) * FROM notifications WITH (UPDLOCK, READPAST, ROWLOCK)
                WHERE (status = 'queued' AND due_at <= @Now) OR (status = 'sending' AND lease_until < @Now)
                ORDER BY priority_at)
            UPDATE due SET status = 'sending', lease_owner = @Owner, lease_until = @LeaseUntil, attempts = attempts + 1;
            """);

    // Messages still to be sent (queued, or claimed and being sent): the queue depth an operator watches. Index-only on ix_notifications_due.
    public const string CountWaiting = "SELECT COUNT(*) FROM notifications WHERE status IN ('queued', 'sending')";

    // What each claimed message needs: the citizen's contact, the appointment, the office, the outage's text.
    public const string SelectClaimed = """
        SELECT n.id AS Id, n.lease_owner AS Owner, n.kind AS Kind, n.channel AS Channel, n.attempts AS Attempts, n.in_flight AS InFlight,
               n.body_hash AS BodyHash, n.attempted_at AS AttemptedAt, n.created_at AS QueuedAt, n.affected_id AS AffectedId,
               b.phone AS Phone, b.phone_kind AS PhoneKind, b.email AS Email, b.language AS Language, b.name AS CitizenName,
               b.external_ref AS BookingRef, b.start_utc AS Start, b.end_utc AS "End", b.revision AS Revision,
               f.name AS OfficeName, f.address AS OfficeAddress, s.name AS ServiceName,
               t.name AS TenantName, t.time_zone AS TimeZone, t.contact_phone AS TenantPhone, COALESCE(m.message, o.public_message) AS PublicMessage,
               (SELECT c.status FROM notifications c WHERE c.affected_id = n.affected_id AND c.kind = 'cancellation') AS CancellationStatus
        FROM notifications n
        JOIN bookings b ON b.id = n.booking_id
        JOIN tenants t ON t.id = b.tenant_id
        JOIN offices f ON f.tenant_id = b.tenant_id AND f.id = b.office_id
        JOIN services s ON s.tenant_id = b.tenant_id AND s.id = b.service_id
        LEFT JOIN affected_bookings a ON a.id = n.affected_id
        LEFT JOIN outages o ON o.id = a.outage_id
        LEFT JOIN outage_messages m ON m.outage_id = o.id AND m.language = b.language
        WHERE n.lease_owner = @Owner AND n.status = 'sending'
        """;

    // Before the provider call: the link and what is about to be sent. If the process dies during the call,
    // in_flight and body_hash let the next worker ask the provider instead of sending twice.
    public const string InsertLink = """
        INSERT INTO rebooking_links (token_hash, affected_id, notification_id, expires_at, created_at)
        VALUES (@TokenHash, @AffectedId, @Id, @ExpiresAt, @Now)
        """;

    public const string MarkInFlight = """
        UPDATE notifications SET in_flight = 1, body_hash = @BodyHash, attempted_at = @Now, channel = @Channel, recipient_masked = @Masked
        WHERE id = @Id AND lease_owner = @Owner
        """;

    // A stop before the provider was called: the attempt's mark goes, and the message keeps what it had when claimed.
    public const string UnmarkInFlight = """
        UPDATE notifications SET in_flight = @InFlight, body_hash = @BodyHash, attempted_at = @AttemptedAt, channel = @Channel
        WHERE id = @Id AND lease_owner = @Owner
        """;

    // The link of an attempt that never went out: nobody ever received its token.
    public const string DeleteLink = "DELETE FROM rebooking_links WHERE token_hash = @TokenHash AND notification_id = @Id";

    public const string RecordAccepted = """
        UPDATE notifications SET status = @Status, provider_ref = @ProviderRef, sent_at = @Now,
               delivered_at = CASE WHEN @Status = 'delivered' THEN @Now ELSE NULL END,
               in_flight = 0, lease_owner = NULL, lease_until = NULL, error_code = NULL, last_error = NULL
        WHERE id = @Id AND lease_owner = @Owner
        """;

    // The citizen counts as told once a cancellation is accepted; contact only ever moves forward.
    public const string AffectedNotified = """
        UPDATE affected_bookings SET contact = @Contact, unreachable_reason = NULL, updated_at = @Now
        WHERE id = @AffectedId AND (contact = 'pending' OR (contact = 'notified' AND @Contact = 'delivered'))
        """;

    public const string RecordRetry = """
        UPDATE notifications SET status = 'queued', due_at = @DueAt, in_flight = @InFlight, error_code = @ErrorCode, last_error = @Error,
               lease_owner = NULL, lease_until = NULL
        WHERE id = @Id AND lease_owner = @Owner
        """;

    // A permanent failure on SMS with an email address left: the same message goes out by email at once.
    public const string RecordFallback = """
        UPDATE notifications SET status = 'queued', channel = 'email', due_at = @Now, attempts = 0, in_flight = 0,
               error_code = @ErrorCode, last_error = @Error, lease_owner = NULL, lease_until = NULL
        WHERE id = @Id AND lease_owner = @Owner
        """;

    public const string RecordFailed = """
        UPDATE notifications SET status = @Status, in_flight = 0, error_code = @ErrorCode, last_error = @Error, lease_owner = NULL, lease_until = NULL
        WHERE id = @Id AND lease_owner = @Owner
        """;

    public const string AffectedUnreachable = """
        UPDATE affected_bookings SET contact = 'unreachable', unreachable_reason = @Reason, updated_at = @Now
        WHERE id = @AffectedId AND contact = 'pending'
        """;

    // Shutdown: hand claimed messages back untouched (an attempt cut off mid-call keeps in_flight = 1).
    public const string ReleaseClaimed = "UPDATE notifications SET status = 'queued', lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Owner AND status = 'sending'";

    // Delivery callbacks. A (message, status) pair is handled once; delivered is final and never moves back.
    // One row the first time a (message, status) pair arrives; 0 rows afterwards. On SQL Server the range
    // lock makes a simultaneous twin wait for the first and then find its row, instead of failing.
    public static readonly DialectSql RecordProviderEventOnce = new(
        Sqlite: "INSERT INTO provider_events (provider_ref, status, received_at) VALUES (@ProviderRef, @Status, @Now) ON CONFLICT DO NOTHING",
        SqlServer: """
            INSERT INTO provider_events (provider_ref, status, received_at)
            SELECT @ProviderRef, @Status, @Now
            WHERE NOT EXISTS (SELECT 1 FROM provider_events WITH (UPDLOCK, HOLDLOCK) WHERE provider_ref = @ProviderRef AND status = @Status)
            """);

    public const string SelectByProviderRef = """
        SELECT n.id AS Id, n.lease_owner AS Owner, n.kind AS Kind, n.status AS Status, n.affected_id AS AffectedId, b.email AS Email
        FROM notifications n JOIN bookings b ON b.id = n.booking_id WHERE n.provider_ref = @ProviderRef
        """;

    public const string MarkDelivered = """
        UPDATE notifications SET status = 'delivered', delivered_at = @Now
        WHERE id = @Id AND status IN ('accepted', 'undelivered')
        """;

    public const string MarkUndelivered = """
        UPDATE notifications SET status = 'undelivered', error_code = @ErrorCode
        WHERE id = @Id AND status = 'accepted'
        """;

    // Undelivered SMS with an email address: the cancellation also goes out by email (policy; see docs).
    public const string RequeueAsEmail = """
        UPDATE notifications SET status = 'queued', channel = 'email', due_at = @Now, attempts = 0, in_flight = 0, error_code = @ErrorCode
        WHERE id = @Id AND status = 'undelivered' AND channel = 'sms'
        """;
}
