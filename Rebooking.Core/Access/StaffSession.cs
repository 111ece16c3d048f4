namespace Rebooking.Access;

/// <summary>
/// What a console session must be checked against on every request: an account that is disabled or whose
/// session version moved on (disabled, password reset or changed) no longer has a valid session.
/// </summary>
public sealed class StaffSession
{
    public bool Disabled { get; init; }
    public bool MustChangePassword { get; init; }
    public int SessionVersion { get; init; }
}
