namespace Rebooking.Rebookings;

/// <summary>What a token in a link leads to: a booking, nothing, or a booking whose link has expired.</summary>
public enum LinkState { Found, Unknown, Expired }
