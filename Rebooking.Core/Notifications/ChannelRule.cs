namespace Rebooking.Notifications;

/// <summary>
/// Which channel a booking's message takes: the one rule, used by the dispatcher, the hand-over to a call, the
/// preview's counts and the hotline page. It reads what a booking stores: <c>phone_kind</c> (<c>mobile</c>,
/// <c>landline</c>, <c>unknown</c>; null exactly when there is no phone, a CHECK constraint of the schema) and
/// whether there is an e-mail address. The outage processor applies it in its set-based SQL
/// (<see cref="ChannelSql"/>, and the landline filter of the voice queue); the tests check that SQL against this
/// rule on one table of cases.
/// </summary>
public static class ChannelRule
{
    /// <summary>Twilio's error for an SMS to a number that is not a mobile: from then on the number counts as a landline.</summary>
    public const string NotAMobile = "21614";

    /// <summary>
    /// An SMS is tried for mobiles and for numbers whose kind the numbering plan cannot tell (Twilio's
    /// <see cref="NotAMobile"/> then says it was a landline); landlines, toll-free and service numbers get none.
    /// </summary>
    public static bool TakesSms(string? phoneKind) => phoneKind is "mobile" or "unknown";

    /// <summary>
    /// Whether a message can reach the citizen once SMS and e-mail are both set up: the outage marks the others
    /// unreachable (<c>no-contact</c>) at once, and only they can get a call when a landline is all there is.
    /// </summary>
    public static bool Reachable(string? phoneKind, bool hasEmail) => For(phoneKind, hasEmail, ContactChannel.Sms | ContactChannel.Email) != ContactChannel.None;

    /// <summary>
    /// The channel of a citizen's message among the <paramref name="available"/> ones: SMS to a phone that takes SMS,
    /// else e-mail to an address, else a call to a landline, else none.
    /// </summary>
    public static ContactChannel For(string? phoneKind, bool hasEmail, ContactChannel available) =>
        TakesSms(phoneKind) && available.HasFlag(ContactChannel.Sms) ? ContactChannel.Sms
        : hasEmail && available.HasFlag(ContactChannel.Email) ? ContactChannel.Email
        : phoneKind == "landline" && available.HasFlag(ContactChannel.Voice) ? ContactChannel.Voice
        : ContactChannel.None;

    /// <summary>
    /// Where a message goes once its SMS failed for good with <paramref name="smsError"/>, or once it has gone by
    /// e-mail before (then <paramref name="smsError"/> is null): never SMS again; e-mail, else a call to a landline, a
    /// number Twilio refused as <see cref="NotAMobile"/> included, else none.
    /// </summary>
    public static ContactChannel WithoutSms(string? phoneKind, bool hasEmail, string? smsError, ContactChannel available) =>
        For(smsError == NotAMobile && phoneKind is not null ? "landline" : phoneKind, hasEmail, available & ~ContactChannel.Sms);
}
