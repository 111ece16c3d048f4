using System.Security.Cryptography;
using System.Text;
using Dapper;
using Rebooking.Access;
using Rebooking.Data;

namespace Rebooking.Notifications;

/// <summary>One message the development outbox holds instead of sending it.</summary>
public sealed class DevOutboxMessage
{
    public string Channel { get; init; } = "";
    public string To { get; init; } = "";
    public string? Subject { get; init; }
    public string Body { get; init; } = "";
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// Reads the development outbox for a caller bound to some tenants. The outbox holds names, numbers, addresses
/// and link tokens, so a caller sees only the messages its own tenants' notifications sent; only an admin of all
/// tenants (<see cref="Roles.AllTenants"/>) sees everything.
/// </summary>
public sealed class DevOutbox(Db db)
{
    /// <param name="tenants">The tenant slugs the caller is bound to; <see cref="Roles.AllTenants"/> among them means all.</param>
    public async Task<IReadOnlyList<DevOutboxMessage>> ListAsync(IReadOnlyCollection<string> tenants, CancellationToken ct = default)
    {
        if (tenants.Count == 0) return [];
        await using var connection = await db.OpenAsync(ct);
        var rows = (await connection.QueryAsync<DevOutboxMessage>(new CommandDefinition(DevOutboxSql.All, cancellationToken: ct))).ToList();
        if (tenants.Contains(Roles.AllTenants)) return rows;
        var fingerprints = (await connection.QueryAsync<byte[]>(new CommandDefinition(DevOutboxSql.TenantFingerprints, new { Tenants = tenants.ToArray() }, cancellationToken: ct)))
            .Select(Convert.ToHexString).ToHashSet();
        return rows.Where(r => fingerprints.Contains(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(r.Body))))).ToList();
    }
}
