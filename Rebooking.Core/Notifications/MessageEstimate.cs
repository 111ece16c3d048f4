namespace Rebooking.Notifications;

/// <summary>
/// What a declaration will send, before anyone confirms: cancellations by SMS and by e-mail, the citizens the
/// hotline will have to call (a landline and nothing else that reaches them), the SMS segments the carriers will
/// bill (each citizen's language, the public message, the real link length), and with
/// <c>Twilio:PricePerSegment</c> configured the estimated price. Estimates: a failed SMS later falls back to e-mail.
/// </summary>
public sealed record MessageEstimate(int Sms, int Email, int Voice, int SmsSegments, EstimatedCost? EstimatedCost, IReadOnlyList<LanguageSegments> ByLanguage);

/// <summary>SMS and their segments in one language.</summary>
public sealed record LanguageSegments(string Language, int Sms, int SmsSegments);

/// <summary>Segments × the configured price per segment, rounded to cents.</summary>
public sealed record EstimatedCost(decimal Amount, string Currency, decimal PricePerSegment);
