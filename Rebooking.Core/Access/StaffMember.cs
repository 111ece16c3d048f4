namespace Rebooking.Access;

/// <summary>A staff member who signed in.</summary>
public sealed class StaffMember
{
    public string Id { get; init; } = "";
    public string Email { get; init; } = "";
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string TenantId { get; init; } = "";
    /// <summary>Signed in with a one-time password: the console asks for a new one before anything else.</summary>
    public bool MustChangePassword { get; init; }
    /// <summary>Stamped into the session; a session with an older version is no longer valid.</summary>
    public int SessionVersion { get; init; }
}
