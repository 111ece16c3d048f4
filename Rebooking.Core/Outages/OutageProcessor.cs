using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rebooking.Data;
using Rebooking.Integration;
using Rebooking.Operations;

namespace Rebooking.Outages;

/// <summary>
/// Brings outages in line with their definition. An outage whose desired version is ahead of its synced
/// version is claimed under a lease; then, one transaction at a time:
/// <list type="number">
/// <item>bookings past the covered end that were cancelled are reinstated (the untold simply stop being
/// affected; the told get a reinstatement message);</item>
/// <item>covered bookings are cancelled in batches, soonest first: each becomes an affected booking, its
/// slot capacity is released and its cancellation is queued — all in the batch's transaction, which also
/// renews the lease, so a worker that lost its lease commits nothing more.</item>
/// </list>
/// Every step is idempotent and safe to interrupt: a killed worker's lease expires, and whoever claims the
/// outage next continues from the database state. Two workers can never cancel a booking twice, because a
/// booking has at most one affected row (unique index).
/// </summary>
/// <remarks>Each committed batch that queued messages tells the <see cref="IWorkQueue"/>, so sending starts while
/// the rest of the outage is still being processed.</remarks>
public sealed class OutageProcessor(Db db, TimeProvider clock, IOptions<OutageOptions> options, WorkerIdentity worker, ILogger<OutageProcessor> logger,
    RebookingMetrics? metrics = null, IWorkQueue? work = null, Voice.VoiceHandoff? voice = null)
{
    readonly OutageOptions options = options.Value;
    readonly RebookingMetrics metrics = metrics ?? new RebookingMetrics();
    readonly IWorkQueue work = work ?? new SweepOnlyWorkQueue();

    /// <summary>
    /// Processes claimable outages until none is left. Returns how many were brought up to date. A failure
    /// ends the run (the next fire retries) rather than re-claiming the same outage in a hot loop.
    /// </summary>
    public async Task<int> RunPendingAsync(CancellationToken ct = default)
    {
        var synced = 0;
        while (!ct.IsCancellationRequested && await ClaimAsync(ct) is { } claim)
        {
            if (!await SyncAsync(claim, ct)) break;
            synced++;
        }
        return synced;
    }

    async Task<Claim?> ClaimAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        return await db.InTransactionAsync((connection, transaction) =>
            connection.QuerySingleOrDefaultAsync<Claim>(db.Sql(OutageSql.ClaimOutage),
                new { Owner = worker.Name, LeaseUntil = now + options.Lease, Now = now }, transaction), ct);
    }

    async Task<bool> SyncAsync(Claim claim, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["OutageId"] = claim.Id });
        var started = clock.GetUtcNow();
        try
        {
            var definition = await LoadAsync(claim.Id, ct);
            var reinstated = await ReinstateAsync(definition, ct);
            if (reinstated < 0) return LeaseLost();
            if (reinstated > 0)
            {
                work.NotificationsDue();
                work.WebhooksDue();
            }
            var cancelled = 0;
            var from = definition.Start;
            while (true)
            {
                var (batch, lastStart) = await CancelBatchAsync(definition, from, ct);
                if (batch < 0) return LeaseLost();
                if (batch > 0 && definition.Notify) work.NotificationsDue();
                if (batch > 0) work.WebhooksDue();
                cancelled += batch;
                if (batch < options.BatchSize) break;
                from = lastStart;
            }
            if (definition.Notify && !await QueueMissingCancellationsAsync(definition, ct)) return LeaseLost();
            if (definition.Notify) work.NotificationsDue();
            var completed = await db.InTransactionAsync((connection, transaction) => connection.ExecuteAsync(OutageSql.CompleteSync,
                new { OutageId = claim.Id, claim.Version, Owner = worker.Name, Now = clock.GetUtcNow() }, transaction), ct);
            if (completed == 0) return LeaseLost();
            var elapsed = clock.GetUtcNow() - started;
            metrics.OutageProcessed(elapsed, cancelled, reinstated);
            logger.LogInformation("Outage processed to version {Version}: {Cancelled} bookings cancelled, {Reinstated} reinstated in {Elapsed} ms",
                claim.Version, cancelled, reinstated, elapsed.TotalMilliseconds);
            return true;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: hand the outage back at once instead of letting the lease run out.
            await ReleaseAsync(claim.Id);
            throw;
        }
        catch (Exception e) when (e is DbException or TimeoutException or InvalidOperationException)
        {
            logger.LogError(e, "Processing the outage failed; it stays pending and will be retried");
            await ReleaseAsync(claim.Id);
            return false;
        }
    }

    bool LeaseLost()
    {
        logger.LogWarning("Lost the lease on the outage to another worker; stopping here");
        return false;
    }

    async Task ReleaseAsync(Guid outageId)
    {
        try
        {
            await using var connection = await db.OpenAsync(CancellationToken.None);
            await connection.ExecuteAsync(OutageSql.ReleaseLease, new { OutageId = outageId, Owner = worker.Name });
        }
        catch (DbException e)
        {
            logger.LogWarning(e, "Could not release the lease; it will expire by itself");
        }
    }

    async Task<SyncDefinition> LoadAsync(Guid id, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleAsync<SyncDefinition>(OutageSql.SelectDefinition, new { OutageId = id });
    }

    /// <summary>Runs <paramref name="work"/> in a transaction that first renews the lease; -1 when the lease is gone.</summary>
    Task<int> UnderLeaseAsync(Guid outageId, Func<DbConnection, DbTransaction, DateTimeOffset, Task<int>> work, CancellationToken ct) =>
        db.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var held = await connection.ExecuteAsync(OutageSql.RenewLease,
                new { OutageId = outageId, Owner = worker.Name, LeaseUntil = now + options.Lease }, transaction);
            if (held == 0) return -1;
            return await work(connection, transaction, now);
        }, ct);

    Task<int> ReinstateAsync(SyncDefinition outage, CancellationToken ct) =>
        UnderLeaseAsync(outage.Id, async (connection, transaction, now) =>
        {
            var p = new { OutageId = outage.Id, Until = outage.CoveredUntil, Now = now, Batch = Guid.NewGuid() };
            await connection.ExecuteAsync(OutageSql.WithdrawUntoldCancellations, p, transaction);
            var untold = await connection.ExecuteAsync(OutageSql.MarkUntoldBatch, p, transaction);
            if (untold > 0)
            {
                await connection.ExecuteAsync(OutageSql.RestoreBatchBookings, p, transaction);
                await BookingChanges.RecordBatchAsync(connection, transaction, ChangeType.Reinstated, p.Batch, now);
                await connection.ExecuteAsync(db.Sql(OutageSql.TakeBatchSlots), p, transaction);
                await connection.ExecuteAsync(OutageSql.DeleteUntoldLinks, p, transaction);
                await connection.ExecuteAsync(OutageSql.DeleteUntoldNotifications, p, transaction);
                await connection.ExecuteAsync(OutageSql.DeleteUntold, p, transaction);
            }
            var told = new { p.OutageId, p.Until, p.Now, Batch = Guid.NewGuid() };
            var reinstated = await connection.ExecuteAsync(OutageSql.MarkReinstated, told, transaction);
            if (reinstated > 0)
            {
                await connection.ExecuteAsync(OutageSql.RestoreBatchBookings, told, transaction);
                await BookingChanges.RecordBatchAsync(connection, transaction, ChangeType.Reinstated, told.Batch, now);
                await connection.ExecuteAsync(db.Sql(OutageSql.TakeBatchSlots), told, transaction);
                await connection.ExecuteAsync(OutageSql.QueueReinstatements, told, transaction);
            }
            return untold + reinstated;
        }, ct);

    /// <summary>
    /// Cancels the next batch of covered bookings starting at or after <paramref name="from"/> (a cursor: rows
    /// before it were taken by earlier batches). Returns the count, -1 when the lease is gone, and the
    /// latest start taken.
    /// </summary>
    async Task<(int Count, DateTimeOffset LastStart)> CancelBatchAsync(SyncDefinition outage, DateTimeOffset from, CancellationToken ct)
    {
        var lastStart = from;
        var count = await UnderLeaseAsync(outage.Id, async (connection, transaction, now) =>
        {
            var p = new
            {
                OutageId = outage.Id, outage.TenantId, From = from, Until = outage.CoveredUntil,
                Batch = Guid.NewGuid(), BatchSize = options.BatchSize, Now = now,
            };
            var claimed = await connection.ExecuteAsync(db.Sql(OutageSql.ClaimBatch), p, transaction, commandTimeout: 120);
            if (claimed == 0) return 0;
            await connection.ExecuteAsync(OutageSql.CancelBatchBookings, p, transaction);
            await BookingChanges.RecordBatchAsync(connection, transaction, ChangeType.Cancelled, p.Batch, now);
            await connection.ExecuteAsync(db.Sql(OutageSql.ReleaseBatchSlots), p, transaction);
            if (outage.Notify) await connection.ExecuteAsync(OutageSql.QueueBatchCancellations, p, transaction);
            if (outage.Notify && voice is not null) await voice.QueueLandlinesAsync(connection, transaction, p.Batch, null, now);
            lastStart = await connection.ExecuteScalarAsync<DateTimeOffset>(OutageSql.BatchLastStart, p, transaction);
            return claimed;
        }, ct);
        return (count, lastStart);
    }

    // Catches up cancellations for bookings affected while notify was off.
    async Task<bool> QueueMissingCancellationsAsync(SyncDefinition outage, CancellationToken ct) =>
        await UnderLeaseAsync(outage.Id, async (connection, transaction, now) =>
        {
            var queued = await connection.ExecuteAsync(OutageSql.QueueMissingCancellations, new { OutageId = outage.Id, Now = now }, transaction, commandTimeout: 120);
            if (voice is not null) await voice.QueueLandlinesAsync(connection, transaction, null, outage.Id, now);
            return queued;
        }, ct) >= 0;

    sealed class Claim
    {
        public Guid Id { get; init; }
        public int Version { get; init; }
    }
}

/// <summary>Moves open-ended outages on to the next local day once the roll time has passed (Gütersloh).</summary>
public sealed class OutageRoller(Db db, TimeProvider clock, IOptions<OutageOptions> options, ILogger<OutageRoller> logger, IWorkQueue? work = null)
{
    readonly IWorkQueue work = work ?? new SweepOnlyWorkQueue();

    /// <summary>Returns the number of outages whose coverage grew; safe to call as often as wanted.</summary>
    public async Task<int> RollAsync(CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var connection = await db.OpenAsync(ct);
        var rolled = 0;
        foreach (var outage in await connection.QueryAsync<OpenEnded>(OutageSql.SelectOpenEnded))
        {
            var coveredUntil = OutageCoverage.CoveredUntil(outage.Start, null, now, OffsetTime.Zone(outage.TimeZone), options.Value.RollAtLocalTime);
            if (coveredUntil <= outage.CoveredUntil) continue;
            var grew = await connection.ExecuteAsync(OutageSql.Roll, new { OutageId = outage.Id, CoveredUntil = coveredUntil, Now = now });
            if (grew > 0) work.OutageChanged(outage.Id);
            rolled += grew;
            logger.LogInformation("Open-ended outage {OutageId} now covers bookings until {CoveredUntil:O}", outage.Id, coveredUntil);
        }
        return rolled;
    }

    sealed class OpenEnded
    {
        public Guid Id { get; init; }
        public DateTimeOffset Start { get; init; }
        public DateTimeOffset CoveredUntil { get; init; }
        public string TimeZone { get; init; } = "";
    }
}
