using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Rebooking.Data;

namespace Rebooking.Notifications;

/// <summary>The development outbox: with neither Twilio nor SMTP configured, messages land in a table (GET /api/dev/outbox).</summary>
public sealed class OutboxChannel(string name, Db db, TimeProvider clock) : INotificationChannel
{
    public string Name => name;
    public double RatePerSecond => 0;

    readonly GroupCommit writes = new(db);

    const string Insert = "INSERT INTO dev_outbox (channel, recipient, subject, body, created_at) VALUES (@Channel, @Recipient, @Subject, @Body, @Now)";

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, string? statusCallback, CancellationToken ct)
    {
        // In a write transaction like every other writer of this process, so it waits its turn at the write gate (an
        // insert outside it would meet SQLite's sleeping busy handler whenever the worker writes, and make the worker
        // meet it too); and together with the sends running beside it, so a batch takes a few turns, not one each.
        ct.ThrowIfCancellationRequested();
        await writes.InTransactionAsync((connection, transaction) =>
            connection.ExecuteAsync(Insert, new { Channel = name, Recipient = message.To, message.Subject, Body = message.Text, Now = clock.GetUtcNow() }, transaction));
        return new SendOutcome(SendStatus.Accepted, ProviderRef: "outbox", Delivered: true);
    }

    public async Task<SendOutcome?> ReconcileAsync(string to, byte[] bodyHash, DateTimeOffset attemptedAt, CancellationToken ct)
    {
        await using DbConnection connection = await db.OpenAsync(ct);
        var bodies = await connection.QueryAsync<string>("SELECT body FROM dev_outbox WHERE recipient = @To AND created_at >= @Since",
            new { To = to, Since = attemptedAt.AddMinutes(-2) });
        return bodies.Any(b => SHA256.HashData(Encoding.UTF8.GetBytes(b)).SequenceEqual(bodyHash))
            ? new SendOutcome(SendStatus.Accepted, ProviderRef: "outbox", Delivered: true)
            : null;
    }
}
