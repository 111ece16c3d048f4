namespace Rebooking.Operations;

/// <summary>What /health reads besides the schema version.</summary>
public static class HealthSql
{
    // When the oldest message that is due now became due (NULL when none is): how far the workers are behind.
    public const string OldestDue = "SELECT MIN(due_at) FROM notifications WHERE status = 'queued' AND due_at <= @Now";
}
