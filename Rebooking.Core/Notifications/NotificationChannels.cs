namespace Rebooking.Notifications;

/// <summary>The channels this process sends through: Twilio and SMTP as configured, or the development outbox when neither is.</summary>
public sealed class NotificationChannels(INotificationChannel? sms, INotificationChannel? email)
{
    public INotificationChannel? Sms { get; } = sms;
    public INotificationChannel? Email { get; } = email;

    /// <summary>The message channels configured here, for <see cref="ChannelRule"/> (calls are the voice feature's: <c>Voice.VoiceHandoff</c>).</summary>
    public ContactChannel Available => (Sms is null ? ContactChannel.None : ContactChannel.Sms) | (Email is null ? ContactChannel.None : ContactChannel.Email);
}
