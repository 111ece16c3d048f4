using System.Data.Common;
using Dapper;

namespace Rebooking.Integration;

/// <summary>
/// Part of the daily retention (<c>Retention:Days</c>): deliveries done before the cutoff, then changes older
/// than it that no delivery still needs. A change a webhook has not yet received stays until it has.
/// </summary>
public static class ChangeRetention
{
    public static async Task<int> CleanAsync(DbConnection connection, DbTransaction transaction, DateTimeOffset cutoff)
    {
        var p = new { Cutoff = cutoff };
        await connection.ExecuteAsync(ChangeSql.DeleteOldDeliveries, p, transaction, commandTimeout: 600);
        return await connection.ExecuteAsync(ChangeSql.DeleteOldChanges, p, transaction, commandTimeout: 600);
    }
}
