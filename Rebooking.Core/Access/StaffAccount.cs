namespace Rebooking.Access;

/// <summary>A staff account as the account list shows it; never its password hash.</summary>
public sealed class StaffAccount
{
    public string Id { get; init; } = "";
    public string Email { get; init; } = "";
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string TenantId { get; init; } = "";
    public bool Disabled { get; init; }
    public bool MustChangePassword { get; init; }
    public DateTimeOffset? LockedUntil { get; init; }
    public DateTimeOffset? LastSignInAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>Locked by failed sign-ins at <paramref name="now"/> (the lock ends by itself, or an admin unlocks it).</summary>
    public bool IsLocked(DateTimeOffset now) => LockedUntil > now;
}
