namespace Rebooking.Notifications;

/// <summary>The development outbox's SQL (the table <c>dev_outbox</c>; written by <see cref="OutboxChannel"/>).</summary>
public static class DevOutboxSql
{
    // Every message of every tenant, newest first; only an admin of all tenants may see this list as it is.
    public const string All = """
        SELECT channel AS Channel, recipient AS "To", subject AS Subject, body AS Body, created_at AS CreatedAt
        FROM dev_outbox ORDER BY id DESC
        """;

    // The fingerprints (SHA-256 of the text) of the messages these tenants' notifications sent: how an outbox row
    // is attributed to its tenant. A row without a matching notification belongs to no tenant the caller can name.
    public const string TenantFingerprints = """
        SELECT body_hash FROM notifications WHERE tenant_id IN @Tenants AND body_hash IS NOT NULL
        """;
}
