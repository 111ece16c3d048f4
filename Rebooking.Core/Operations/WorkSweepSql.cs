using Rebooking.Data;

namespace Rebooking.Operations;

/// <summary>The sweep's reads: they only look, never claim; the claim stays with the processor and the dispatcher.</summary>
public static class WorkSweepSql
{
    // Outages a worker could claim now (ahead of their synced version, lease free or run out); the same test as OutageSql.ClaimOutage.
    public static readonly DialectSql PendingOutages = new(
        Sqlite: """
            SELECT id FROM outages WHERE synced_version < desired_version AND (lease_until IS NULL OR lease_until < @Now)
            ORDER BY created_at LIMIT @Limit
            """,
        SqlServer: """
            SELECT TOP (@Limit) id FROM outages WHERE synced_version < desired_version AND (lease_until IS NULL OR lease_until < @Now)
            ORDER BY created_at
            """);

    // 1 when a message could be claimed now (due, or its sender's lease ran out); the same test as NotificationSql.Claim.
    public const string AnyDueNotification = """
        SELECT CASE WHEN EXISTS (
            SELECT 1 FROM notifications WHERE (status = 'queued' AND due_at <= @Now) OR (status = 'sending' AND lease_until < @Now))
        THEN 1 ELSE 0 END
        """;
}
