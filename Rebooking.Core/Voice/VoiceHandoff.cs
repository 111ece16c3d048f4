using System.Data.Common;
using Dapper;
using Microsoft.Extensions.Options;

namespace Rebooking.Voice;

/// <summary>
/// Where the message dispatcher hands over a cancellation that no SMS or e-mail can carry: a landline-only citizen,
/// or a number that Twilio refused for SMS as not a mobile (<see cref="Notifications.ChannelRule"/> decides which). Only
/// when <c>Voice:Enabled</c> and <c>Twilio:VoiceFrom</c> are set; otherwise such citizens stay unreachable, as before.
/// </summary>
public sealed class VoiceHandoff(IOptions<VoiceOptions> options, VoiceCallerSetup setup)
{
    /// <summary>Calls can be placed by this process's configuration.</summary>
    public bool Enabled => options.Value.Enabled && setup.Caller is not null;

    /// <summary>
    /// Whether a call is one of the channels for a message of <paramref name="kind"/>: cancellations of an affected
    /// booking, while calls are on. Whom it then reaches is <see cref="Notifications.ChannelRule"/>'s to say.
    /// </summary>
    public bool Calls(string kind, long? affectedId) => Enabled && kind == Notifications.NotificationKind.Cancellation && affectedId is not null;

    /// <summary>
    /// In the outage's transaction: the landline-only citizens of batch <paramref name="batch"/> (or, with
    /// <paramref name="outageId"/>, of the whole outage) are queued for a call and count as pending instead of
    /// unreachable. Nothing when calls are off.
    /// </summary>
    public async Task QueueLandlinesAsync(DbConnection connection, DbTransaction transaction, Guid? batch, Guid? outageId, DateTimeOffset now)
    {
        if (!Enabled) return;
        var p = new { Batch = batch, OutageId = outageId, Now = now };
        if (await connection.ExecuteAsync(VoiceSql.QueueLandlines, p, transaction) > 0)
            await connection.ExecuteAsync(VoiceSql.PendLandlines, p, transaction);
    }

    /// <summary>Queues the call in the caller's transaction; a second hand-over of the same booking adds nothing.</summary>
    public Task QueueAsync(DbConnection connection, DbTransaction transaction, long affectedId, DateTimeOffset now) =>
        connection.ExecuteAsync(VoiceSql.QueueCancellation, new { AffectedId = affectedId, Now = now }, transaction);
}
