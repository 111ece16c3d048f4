using System.Data.Common;
using Dapper;

namespace Rebooking.Integration;

/// <summary>
/// Writes the change rows of the feed. Every path that changes a booking calls one of these with its own
/// connection and transaction, right after its guarded write succeeded, so the change commits or rolls back
/// with the booking: nothing changes a booking without its change row, and no change row exists without
/// its booking change. One call per changed affected booking (or per batch of them).
/// </summary>
public static class BookingChanges
{
    /// <summary>
    /// Records that the booking of affected row <paramref name="affectedId"/> was <paramref name="type"/>
    /// (a <see cref="ChangeType"/>); for <see cref="ChangeType.Rebooked"/> pass the new booking's id.
    /// Returns 1, or 0 when there is no such affected row.
    /// </summary>
    public static Task<int> RecordAsync(DbConnection connection, DbTransaction transaction, string type, long affectedId,
        DateTimeOffset now, long? newBookingId = null) =>
        connection.ExecuteAsync(ChangeSql.RecordForAffected,
            new { Type = type, AffectedId = affectedId, Now = now, NewBookingId = newBookingId }, transaction);

    /// <summary>
    /// Records one change of <paramref name="type"/> for every affected row whose <c>batch</c> is
    /// <paramref name="batch"/> (outage processing: cancelled, reinstated). Returns the number of rows written.
    /// </summary>
    public static Task<int> RecordBatchAsync(DbConnection connection, DbTransaction transaction, string type, Guid batch, DateTimeOffset now) =>
        connection.ExecuteAsync(ChangeSql.RecordForBatch, new { Type = type, Batch = batch, Now = now }, transaction, commandTimeout: 120);
}
