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

    const string Insert = "INSERT INTO dev_outbox (channel, recipient, subject, body, created_at) VALUES (@Channel, @Recipient, @Subject, @Body, @Now)";

    public async Task<SendOutcome> SendAsync(OutgoingMessage message, string? statusCallback, CancellationToken ct)
    {
        await using DbConnection connection = await db.OpenAsync(ct);
        await connection.ExecuteAsync(Insert, new { Channel = name, Recipient = message.To, message.Subject, Body = message.Text, Now = clock.GetUtcNow() });
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
