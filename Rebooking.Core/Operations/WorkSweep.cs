using Dapper;
using Rebooking.Data;

namespace Rebooking.Operations;

/// <summary>
/// The safety net under the event-driven work: finds in our tables what a lost signal left behind (a crash
/// between a commit and its enqueue, a lease that ran out, a worker that died, a queue in another process's
/// memory) and signals it again through the <see cref="IWorkQueue"/>. It only reads; the processor's and the
/// dispatcher's claims decide who does the work, so a sweep that overlaps a running job does nothing twice.
/// </summary>
public sealed class WorkSweep(Db db, TimeProvider clock, IWorkQueue work)
{
    /// <summary>At most this many outages are signalled per sweep; each convergence drains every pending outage anyway.</summary>
    const int Limit = 100;

    /// <summary>Returns how many signals were sent (pending outages, plus one when messages are due, plus one when webhook deliveries are).</summary>
    public async Task<int> SweepAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenAsync(ct);
        var outages = (await connection.QueryAsync<Guid>(new CommandDefinition(db.Sql(WorkSweepSql.PendingOutages),
            new { Now = now, Limit }, cancellationToken: ct))).ToList();
        var due = await connection.ExecuteScalarAsync<int>(new CommandDefinition(WorkSweepSql.AnyDueNotification, new { Now = now }, cancellationToken: ct)) == 1;
        var webhooks = await connection.ExecuteScalarAsync<int>(new CommandDefinition(db.Sql(Integration.WebhookSql.AnyDue), new { Now = now }, cancellationToken: ct)) == 1;
        foreach (var id in outages) work.OutageChanged(id);
        if (due) work.NotificationsDue();
        if (webhooks) work.WebhooksDue();
        return outages.Count + (due ? 1 : 0) + (webhooks ? 1 : 0);
    }
}
