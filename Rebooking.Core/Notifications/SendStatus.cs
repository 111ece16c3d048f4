namespace Rebooking.Notifications;

/// <summary>
/// What an attempt came to. <c>Accepted</c>: the provider took it. <c>Transient</c>: not sent, try again
/// later. <c>Ambiguous</c>: it may have been sent (timeout, 5xx after the request went out): reconcile
/// before any resend. <c>Permanent</c>: this channel will never reach this recipient.
/// </summary>
public enum SendStatus { Accepted, Transient, Ambiguous, Permanent }
