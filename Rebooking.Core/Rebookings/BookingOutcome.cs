namespace Rebooking.Rebookings;

/// <summary>The answer to a citizen's (or the hotline's) booking, change or cancellation.</summary>
public enum BookingOutcome
{
    /// <summary>The slot is booked: a first booking, or a change to another slot.</summary>
    Booked,
    /// <summary>The citizen needs no appointment: declined while open, or the rebooked appointment cancelled.</summary>
    Declined,
    /// <summary>The slot is full or no longer offered; nothing changed.</summary>
    SlotGone,
    /// <summary>Decided already (or changed in another tab a moment ago); nothing changed.</summary>
    AlreadyDecided,
    Unknown,
    Expired,
    /// <summary>The rebooked appointment is closer than <see cref="RebookingOptions.ChangeCutoff"/>; nothing changed.</summary>
    TooLate,
}
