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

    /// <summary>
    /// (v2) The appointment system's key: slot and booking imports and its tenant's change feed, nothing else.
    /// Not a staff role (no console, not in <see cref="All"/>): only endpoints marked with
    /// <c>AllowIntegration()</c> admit it. Always bound to one tenant.
    /// </summary>
    public const string Integration = "integration";

    public static readonly string[] All = [Admin, Clerk, Supervisor];

    /// <summary>The tenant value of a principal that may act for every tenant.</summary>
    public const string AllTenants = "*";

    public static bool IsKnown(string? role) => role is Admin or Clerk or Supervisor;

    /// <summary>Roles an API key or a bearer token may carry: the staff roles and <see cref="Integration"/>.</summary>
    public static bool IsKeyRole(string? role) => IsKnown(role) || role == Integration;
}

/// <summary>Claim types the service puts on every authenticated staff principal.</summary>
public static class RebookingClaims
{
    public const string Role = "rebooking:role";
    public const string Tenant = "rebooking:tenant";
    public const string Actor = "rebooking:actor";
}
