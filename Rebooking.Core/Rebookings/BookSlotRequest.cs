namespace Rebooking.Rebookings;

/// <summary>
/// Body of <c>POST /api/rebook/{token}</c>. <see cref="Version"/> (optional): the link's version the client
/// saw (<see cref="LinkedBooking.Version"/>); when given and the link has changed since (another tab booked
/// or changed first), nothing is booked and the answer is 409.
/// </summary>
public sealed record BookSlotRequest(string? SlotId, int? Version = null);
