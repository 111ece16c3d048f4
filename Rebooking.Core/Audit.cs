using System.Data.Common;
using Dapper;

namespace Rebooking;

/// <summary>
/// Records who did what and when, in the same transaction as the change it describes. Actors are key
/// labels or staff accounts; details never hold citizens' personal data.
/// </summary>
public sealed class Audit(TimeProvider clock)
{
    const string Insert = """
        INSERT INTO audit_log (at_utc, actor, tenant_id, action, subject, detail)
        VALUES (@At, @Actor, @TenantId, @Action, @Subject, @Detail)
        """;

    public Task RecordAsync(DbConnection connection, DbTransaction transaction, string actor, string? tenantId,
        string action, string? subject, string? detail = null) =>
        connection.ExecuteAsync(Insert, new { At = clock.GetUtcNow(), Actor = actor, TenantId = tenantId, Action = action, Subject = subject, Detail = detail }, transaction);
}
