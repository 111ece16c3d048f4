namespace Rebooking.Notifications;

/// <summary>
/// <see cref="ChannelRule"/> where the database has to apply it inside a set-based statement (the outage
/// processor's claim of a batch). Fragments over <c>b</c>, a <c>bookings</c> row; tested against the C# rule.
/// </summary>
internal static class ChannelSql
{
    /// <summary><see cref="ChannelRule.Reachable"/>: a phone that takes SMS (<see cref="ChannelRule.TakesSms"/>), or an e-mail address.</summary>
    public const string Reachable = "(b.phone_kind IN ('mobile', 'unknown') OR b.email IS NOT NULL)";
}
