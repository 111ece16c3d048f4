namespace Rebooking.Notifications;

/// <summary>
/// How a citizen is told: one value as the answer of <see cref="ChannelRule"/>, a combination as the channels a
/// process can use (<see cref="NotificationChannels.Available"/>, with <see cref="Voice"/> where calls can be placed).
/// </summary>
[Flags]
public enum ContactChannel
{
    /// <summary>Nothing reaches the citizen: unreachable, the hotline calls if there is a phone.</summary>
    None = 0,
    Sms = 1,
    Email = 2,
    /// <summary>An automated call (issue 16).</summary>
    Voice = 4,
}
