using Dapper;
using Rebooking.Data;

namespace Rebooking.Integration;

/// <summary>A tenant's webhook as admins see it (never with its secret). Times UTC.</summary>
public sealed class Webhook
{
    public Guid Id { get; init; }
    public string TenantId { get; init; } = "";
    public string Url { get; init; } = "";
    public string? Description { get; init; }
    /// <summary>active or disabled (after failing for three days).</summary>
    public string Status { get; init; } = "";
    public int ConsecutiveFailures { get; init; }
    public DateTimeOffset? FailingSince { get; init; }
    public DateTimeOffset? RetryAt { get; init; }
    public DateTimeOffset? DisabledAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}

/// <summary>One line of a webhook's delivery log. Times UTC.</summary>
public sealed class DeliveryLogEntry
{
    public long Position { get; init; }
    public string ChangeId => ChangeCursor.Format(Position);
    public string Type { get; init; } = "";
    public string BookingRef { get; init; } = "";
    /// <summary>pending or delivered.</summary>
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    /// <summary>When a pending delivery is tried next (it may wait longer for its webhook or an earlier change).</summary>
    public DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
}

/// <summary>Creating, listing and deleting webhooks, their delivery log, and redelivery.</summary>
public sealed class WebhookStore(Db db, TimeProvider clock, Audit audit)
{
    /// <summary>
    /// Stores a webhook that receives the tenant's changes from now on and returns it with its secret, which is
    /// shown this once. The URL must have passed <see cref="WebhookAddressPolicy.CheckAsync"/>.
    /// </summary>
    public async Task<(Webhook Webhook, string Secret)> CreateAsync(string tenantId, string url, string? description, string actor, CancellationToken ct = default)
    {
        var id = Guid.NewGuid();
        var secret = WebhookSignature.NewSecret();
        await db.InTransactionAsync(async (connection, transaction) =>
        {
            var latest = await connection.ExecuteScalarAsync<long>(db.Sql(ChangeSql.LatestPosition), new { TenantId = tenantId }, transaction);
            await connection.ExecuteAsync(WebhookSql.Insert, new
            {
                Id = id, TenantId = tenantId, Url = url, Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
                Secret = secret, FannedThrough = latest, Now = clock.GetUtcNow(), Actor = actor,
            }, transaction);
            await audit.RecordAsync(connection, transaction, actor, tenantId, "webhook.created", id.ToString(), null);
        }, ct);
        return ((await GetAsync(tenantId, id, ct))!, secret);
    }

    public async Task<IReadOnlyList<Webhook>> ListAsync(string tenantId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<Webhook>(WebhookSql.List, new { TenantId = tenantId })).ToList();
    }

    public async Task<Webhook?> GetAsync(string tenantId, Guid id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<Webhook>(WebhookSql.Get, new { TenantId = tenantId, Id = id });
    }

    /// <summary>Removes the webhook and its delivery log; false when the tenant has no such webhook.</summary>
    public Task<bool> DeleteAsync(string tenantId, Guid id, string actor, CancellationToken ct = default) =>
        db.InTransactionAsync(async (connection, transaction) =>
        {
            var p = new { TenantId = tenantId, Id = id };
            await connection.ExecuteAsync(WebhookSql.DeleteDeliveries, p, transaction);
            if (await connection.ExecuteAsync(WebhookSql.Delete, p, transaction) == 0) return false;
            await audit.RecordAsync(connection, transaction, actor, tenantId, "webhook.deleted", id.ToString(), null);
            return true;
        }, ct);

    /// <summary>The newest <paramref name="limit"/> deliveries of the webhook, newest change first.</summary>
    public async Task<IReadOnlyList<DeliveryLogEntry>> DeliveriesAsync(Guid webhookId, int limit = 100, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (await connection.QueryAsync<DeliveryLogEntry>(db.Sql(WebhookSql.Deliveries), new { WebhookId = webhookId, Limit = limit })).ToList();
    }

    /// <summary>
    /// Sends change <paramref name="fromPosition"/> again (with <paramref name="andAfter"/>: and every later one)
    /// as soon as a worker runs, with the same <c>webhook-id</c>, and re-enables the webhook. Returns the number
    /// of deliveries queued again, or -1 when the tenant has no such webhook.
    /// </summary>
    public Task<int> RedeliverAsync(string tenantId, Guid webhookId, long fromPosition, bool andAfter, string actor, CancellationToken ct = default) =>
        db.InTransactionAsync(async (connection, transaction) =>
        {
            var p = new { TenantId = tenantId, WebhookId = webhookId, From = fromPosition, AndAfter = andAfter, Now = clock.GetUtcNow() };
            if (await connection.ExecuteAsync(WebhookSql.Enable, p, transaction) == 0) return -1;
            var queued = await connection.ExecuteAsync(WebhookSql.Redeliver, p, transaction);
            await audit.RecordAsync(connection, transaction, actor, tenantId, "webhook.redelivered", webhookId.ToString(),
                $"{ChangeCursor.Format(fromPosition)}{(andAfter ? " and after" : "")}: {queued}");
            return queued;
        }, ct);
}
