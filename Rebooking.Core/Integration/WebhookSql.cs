using Rebooking.Data;

namespace Rebooking.Integration;

/// <summary>Webhooks and their deliveries.</summary>
static class WebhookSql
{
    public const string Insert = """
        INSERT INTO webhooks (id, tenant_id, url, description, secret, status, fanned_through, consecutive_failures, created_at, created_by)
        VALUES (@Id, @TenantId, @Url, @Description, @Secret, 'active', @FannedThrough, 0, @Now, @Actor)
        """;

    const string Columns = """
        w.id AS Id, w.tenant_id AS TenantId, w.url AS Url, w.description AS Description, w.status AS Status,
        w.consecutive_failures AS ConsecutiveFailures, w.failing_since AS FailingSince, w.retry_at AS RetryAt,
        w.disabled_at AS DisabledAt, w.created_at AS CreatedAt
        """;

    public const string List = $"SELECT {Columns} FROM webhooks w WHERE w.tenant_id = @TenantId ORDER BY w.created_at, w.id";

    public const string Get = $"SELECT {Columns} FROM webhooks w WHERE w.tenant_id = @TenantId AND w.id = @Id";

    public const string DeleteDeliveries = "DELETE FROM webhook_deliveries WHERE webhook_id = (SELECT id FROM webhooks WHERE id = @Id AND tenant_id = @TenantId)";

    public const string Delete = "DELETE FROM webhooks WHERE id = @Id AND tenant_id = @TenantId";

    // The delivery log, newest change first.
    public static readonly DialectSql Deliveries = new(
        Sqlite: """
            SELECT d.position AS Position, c.type AS Type, c.booking_ref AS BookingRef, d.status AS Status, d.attempts AS Attempts,
                   d.last_status_code AS LastStatusCode, d.last_error AS LastError, d.last_attempt_at AS LastAttemptAt,
                   d.next_attempt_at AS NextAttemptAt, d.delivered_at AS DeliveredAt
            FROM webhook_deliveries d JOIN booking_changes c ON c.id = d.change_id
            WHERE d.webhook_id = @WebhookId ORDER BY d.position DESC LIMIT @Limit
            """,
        SqlServer: """
            SELECT TOP (@Limit) d.position AS Position, c.type AS Type, c.booking_ref AS BookingRef, d.status AS Status, d.attempts AS Attempts,
                   d.last_status_code AS LastStatusCode, d.last_error AS LastError, d.last_attempt_at AS LastAttemptAt,
                   d.next_attempt_at AS NextAttemptAt, d.delivered_at AS DeliveredAt
            FROM webhook_deliveries d JOIN booking_changes c ON c.id = d.change_id
            WHERE d.webhook_id = @WebhookId ORDER BY d.position DESC
            """);

    // Redelivery: the change at @From (and with @AndAfter everything after it) is sent again, now, with the
    // same webhook-id. The admin's explicit act also re-enables a disabled webhook. A delivery on the wire at this
    // moment keeps its live lease, so no second worker sends it beside the first: its outcome is recorded as usual
    // (the send in flight is the one the admin asked for), and if its worker dies the lease runs out and the
    // delivery, due now, goes out again.
    public const string Redeliver = """
        UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = @Now,
               lease_owner = CASE WHEN lease_until >= @Now THEN lease_owner END,
               lease_until = CASE WHEN lease_until >= @Now THEN lease_until END
        WHERE webhook_id = @WebhookId AND (position = @From OR (@AndAfter = 1 AND position > @From))
        """;

    public const string Enable = """
        UPDATE webhooks SET status = 'active', consecutive_failures = 0, failing_since = NULL, retry_at = NULL, disabled_at = NULL
        WHERE id = @WebhookId AND tenant_id = @TenantId
        """;

    // ---- The delivery engine ----

    public const string ActiveWebhooks = "SELECT id AS Id, tenant_id AS TenantId FROM webhooks WHERE status = 'active'";

    // Read under a lock held to the end of the fan-out transaction, so two workers never copy the same changes.
    public static readonly DialectSql FannedThrough = new(
        Sqlite: "SELECT fanned_through FROM webhooks WHERE id = @WebhookId",
        SqlServer: "SELECT fanned_through FROM webhooks WITH (UPDLOCK, ROWLOCK) WHERE id = @WebhookId");

    // Copies the next settled changes of the webhook's tenant into deliveries (see ChangeSql.Page for "settled").
    public static readonly DialectSql FanOut = new(
        Sqlite: """
            INSERT INTO webhook_deliveries (webhook_id, change_id, position, booking_id, status, attempts, next_attempt_at, created_at)
            SELECT @WebhookId, c.id, c.id, c.booking_id, 'pending', 0, @Now, @Now
            FROM booking_changes c
            WHERE c.tenant_id = @TenantId AND c.id > @From
            ORDER BY c.id LIMIT @Limit
            """,
        SqlServer: """
            INSERT INTO webhook_deliveries (webhook_id, change_id, position, booking_id, status, attempts, next_attempt_at, created_at)
            SELECT TOP (@Limit) @WebhookId, c.id, CAST(c.position AS bigint), c.booking_id, 'pending', 0, @Now, @Now
            FROM booking_changes c
            WHERE c.tenant_id = @TenantId AND c.position > CAST(@From AS binary(8)) AND c.position < MIN_ACTIVE_ROWVERSION()
            ORDER BY c.position
            """);

    public const string AdvanceFannedThrough = """
        UPDATE webhooks SET fanned_through = (SELECT MAX(position) FROM webhook_deliveries WHERE webhook_id = @WebhookId)
        WHERE id = @WebhookId AND fanned_through = @From
        """;

    // What may go out now: pending, due, not held by a live lease, its webhook active and not backing off,
    // and no earlier change of the same booking still pending for that webhook (per-booking order).
    const string Due = """
        d.status = 'pending' AND d.next_attempt_at <= @Now AND (d.lease_until IS NULL OR d.lease_until < @Now)
        AND w.status = 'active' AND (w.retry_at IS NULL OR w.retry_at <= @Now)
        AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e
                        WHERE e.webhook_id = d.webhook_id AND e.booking_id = d.booking_id AND e.status = 'pending' AND e.position < d.position)
        """;

    // When the next waiting delivery of an active webhook may go out (its own retry time or its webhook's
    // back-off, whichever is later); NULL when nothing waits. Deliveries held by a live lease are the sweep's.
    public const string NextAttempt = """
        SELECT MIN(CASE WHEN w.retry_at IS NOT NULL AND w.retry_at > d.next_attempt_at THEN w.retry_at ELSE d.next_attempt_at END)
        FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
        WHERE d.status = 'pending' AND w.status = 'active' AND d.lease_owner IS NULL
        """;

    // 1 when the sweep should start a delivery run: a delivery could be claimed now (the same test as Claim), or
    // an active webhook has changes not yet fanned out to it (the same test as FanOut).
    public static readonly DialectSql AnyDue = new(
        Sqlite: $"""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE {Due})
                OR EXISTS (SELECT 1 FROM webhooks w JOIN booking_changes c ON c.tenant_id = w.tenant_id
                           WHERE w.status = 'active' AND c.id > w.fanned_through)
            THEN 1 ELSE 0 END
            """,
        SqlServer: $"""
            SELECT CASE WHEN EXISTS (SELECT 1 FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE {Due})
                OR EXISTS (SELECT 1 FROM webhooks w JOIN booking_changes c ON c.tenant_id = w.tenant_id
                           WHERE w.status = 'active' AND c.position > CAST(w.fanned_through AS binary(8)) AND c.position < MIN_ACTIVE_ROWVERSION())
            THEN 1 ELSE 0 END
            """);

    // Leases the next due deliveries to @Owner (unique per claim).
    public static readonly DialectSql Claim = new(
        Sqlite: $"""
            UPDATE webhook_deliveries SET lease_owner = @Owner, lease_until = @LeaseUntil
            WHERE id IN (SELECT d.id FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
                         WHERE {Due} ORDER BY d.next_attempt_at, d.position LIMIT @BatchSize)
            """,
        SqlServer: $"""
            UPDATE webhook_deliveries SET lease_owner = @Owner, lease_until = @LeaseUntil
            WHERE id IN (SELECT TOP (@BatchSize) d.id FROM webhook_deliveries d WITH (UPDLOCK, READPAST, ROWLOCK)
                         JOIN webhooks w ON w.id = d.webhook_id
                         WHERE {Due} ORDER BY d.next_attempt_at, d.position)
            """);

    public const string Claimed = """
        SELECT d.id AS DeliveryId, d.webhook_id AS WebhookId, d.attempts AS Attempts, w.url AS Url, w.secret AS Secret, t.time_zone AS TimeZone,
               d.position AS Position, c.type AS Type, c.occurred_at AS OccurredAt, c.tenant_id AS TenantId, c.booking_id AS BookingId,
               c.booking_ref AS BookingRef, c.outage_id AS OutageId, c.new_booking_ref AS NewBookingRef,
               c.new_office_id AS NewOfficeId, c.new_service_id AS NewServiceId, c.new_start_utc AS NewStart, c.new_end_utc AS NewEnd
        FROM webhook_deliveries d
        JOIN webhooks w ON w.id = d.webhook_id
        JOIN booking_changes c ON c.id = d.change_id
        JOIN tenants t ON t.id = c.tenant_id
        WHERE d.lease_owner = @Owner
        ORDER BY d.position
        """;

    public const string Delivered = """
        UPDATE webhook_deliveries SET status = 'delivered', attempts = attempts + 1, last_status_code = @StatusCode, last_error = NULL,
               last_attempt_at = @Now, delivered_at = @Now, lease_owner = NULL, lease_until = NULL
        WHERE id = @DeliveryId AND lease_owner = @Owner
        """;

    public const string Failed = """
        UPDATE webhook_deliveries SET attempts = attempts + 1, last_status_code = @StatusCode, last_error = @Error,
               last_attempt_at = @Now, next_attempt_at = @NextAttemptAt, lease_owner = NULL, lease_until = NULL
        WHERE id = @DeliveryId AND lease_owner = @Owner
        """;

    public const string Release = "UPDATE webhook_deliveries SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @Owner";

    // A webhook that answered: healthy again, and what waited for it is due at once (DueNow: what no run holds,
    // so run before a round's own attempts are recorded and released).
    public const string Healthy = """
        UPDATE webhooks SET consecutive_failures = 0, failing_since = NULL, retry_at = NULL WHERE id = @WebhookId
        """;

    public const string DueNow = """
        UPDATE webhook_deliveries SET next_attempt_at = @Now
        WHERE webhook_id = @WebhookId AND status = 'pending' AND next_attempt_at > @Now AND lease_owner IS NULL
        """;

    // A webhook whose every attempt of a round failed backs off; failing since @DisableBefore or earlier: disabled.
    public const string Unhealthy = """
        UPDATE webhooks SET consecutive_failures = consecutive_failures + 1,
               failing_since = COALESCE(failing_since, @Now),
               retry_at = @RetryAt,
               status = CASE WHEN COALESCE(failing_since, @Now) <= @DisableBefore THEN 'disabled' ELSE status END,
               disabled_at = CASE WHEN COALESCE(failing_since, @Now) <= @DisableBefore THEN @Now ELSE disabled_at END
        WHERE id = @WebhookId
        """;

    public const string Status = "SELECT status FROM webhooks WHERE id = @WebhookId";
}
