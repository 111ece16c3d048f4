namespace Rebooking.Bookings;

/// <summary>
/// What kind of line a number is, as the country's numbering plan says (libphonenumber's metadata).
/// <c>FixedLineOrMobile</c>: the plan cannot tell (the US, Canada and a few others). <c>Unknown</c>: a kind the
/// metadata does not name.
/// </summary>
public enum PhoneKind { Mobile, FixedLine, FixedLineOrMobile, TollFree, PremiumRate, SharedCost, Voip, PersonalNumber, Pager, Uan, Voicemail, Unknown }
