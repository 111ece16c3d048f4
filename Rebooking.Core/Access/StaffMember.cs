namespace Rebooking.Access;

/// <summary>A staff member who signed in.</summary>
public sealed class StaffMember
{
    public string Id { get; init; } = "";
    public string Email { get; init; } = "";
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string TenantId { get; init; } = "";
}
