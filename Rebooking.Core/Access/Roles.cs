namespace Rebooking.Access;

/// <summary>
/// Staff roles. Each role includes the ones below it: an admin may do what a clerk may, a clerk what a
/// supervisor may (supervisor = read-only).
/// </summary>
public static class Roles
{
    public const string Admin = "admin";
    public const string Clerk = "clerk";
    public const string Supervisor = "supervisor";

    public static readonly string[] All = [Admin, Clerk, Supervisor];

    /// <summary>The tenant value of a principal that may act for every tenant.</summary>
    public const string AllTenants = "*";

    public static bool IsKnown(string? role) => role is Admin or Clerk or Supervisor;
}

/// <summary>Claim types the service puts on every authenticated staff principal.</summary>
public static class RebookingClaims
{
    public const string Role = "rebooking:role";
    public const string Tenant = "rebooking:tenant";
    public const string Actor = "rebooking:actor";
}
