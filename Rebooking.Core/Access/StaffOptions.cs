namespace Rebooking.Access;

/// <summary><c>Staff:*</c>: sign-in rules for the web console.</summary>
public sealed class StaffOptions
{
    public const string Section = "Staff";

    /// <summary>Failed sign-ins in a row after which the account is locked.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a console session lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}
