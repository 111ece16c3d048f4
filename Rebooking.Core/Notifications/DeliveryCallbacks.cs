using Dapper;
using Microsoft.Extensions.Logging;
using Rebooking.Data;
using Rebooking.Operations;

namespace Rebooking.Notifications;

/// <summary>
/// Applies Twilio's status callbacks. Delivery and order are best effort, so each (MessageSid, status) pair
/// is applied once (a primary key, not a check), and a message never moves backwards: delivered stays
/// delivered. An undelivered cancellation is sent again by email when the citizen has an address.
/// </summary>
public sealed class DeliveryCallbacks(Db db, NotificationChannels channels, TimeProvider clock, ILogger<DeliveryCallbacks> logger, IWorkQueue? work = null)
{
    readonly IWorkQueue work = work ?? new SweepOnlyWorkQueue();

    /// <summary>Returns false when the callback names no message of ours (answered 200 all the same: Twilio must not retry).</summary>
    public async Task<bool> ApplyAsync(string messageSid, string status, string? errorCode, CancellationToken ct = default)
    {
        var requeued = false;
        var known = await db.InTransactionAsync(async (connection, transaction) =>
        {
            var now = clock.GetUtcNow();
            var message = await connection.QuerySingleOrDefaultAsync<Sent>(NotificationSql.SelectByProviderRef, new { ProviderRef = messageSid }, transaction);
            if (message is null) return false;
            var firstTime = await connection.ExecuteAsync(db.Sql(NotificationSql.RecordProviderEventOnce),
                new { ProviderRef = messageSid, Status = status, Now = now }, transaction) == 1;
            if (!firstTime) return true;
            switch (status)
            {
                case "delivered":
                    if (await connection.ExecuteAsync(NotificationSql.MarkDelivered, new { message.Id, Now = now }, transaction) == 1
                        && message.Kind == NotificationKind.Cancellation && message.AffectedId is not null)
                        await connection.ExecuteAsync(NotificationSql.AffectedNotified, new { message.AffectedId, Contact = "delivered", Now = now }, transaction);
                    break;
                case "undelivered" or "failed":
                    if (await connection.ExecuteAsync(NotificationSql.MarkUndelivered, new { message.Id, ErrorCode = errorCode }, transaction) == 1)
                    {
                        logger.LogInformation("SMS not delivered ({Code})", errorCode);
                        // The rule after a failed SMS, among the message channels only: the citizen stays notified (Twilio took
                        // the SMS), so no call follows, and the phone's kind does not matter.
                        if (message.Kind == NotificationKind.Cancellation
                            && ChannelRule.WithoutSms(null, message.Email is not null, errorCode, channels.Available) == ContactChannel.Email)
                            requeued = await connection.ExecuteAsync(NotificationSql.RequeueAsEmail, new { message.Id, Now = now, ErrorCode = errorCode }, transaction) == 1;
                    }
                    break;
            }
            return true;
        }, ct);
        if (requeued) work.NotificationsDue();
        return known;
    }

    sealed class Sent
    {
        public long Id { get; init; }
        public string Kind { get; init; } = "";
        public string Status { get; init; } = "";
        public long? AffectedId { get; init; }
        public string? Email { get; init; }
    }
}
