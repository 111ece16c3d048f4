namespace Rebooking.Access;

/// <summary>
/// Which accounts an admin manages, in one place for the console and any later API: an admin of all tenants
/// every account; an admin of a tenant the accounts of that tenant, never one for all tenants; and nobody
/// disables their own account (the region must not lock itself out by a slip).
/// </summary>
public static class AccountAccess
{
    /// <summary>True when an admin bound to <paramref name="adminTenants"/> may manage an account of <paramref name="accountTenant"/>.</summary>
    public static bool MayManage(IReadOnlyCollection<string> adminTenants, string accountTenant) =>
        adminTenants.Contains(Roles.AllTenants) || (accountTenant != Roles.AllTenants && adminTenants.Contains(accountTenant));

    /// <summary>The tenants whose accounts the admin lists: null means every tenant.</summary>
    public static IReadOnlyCollection<string>? Listed(IReadOnlyCollection<string> adminTenants) =>
        adminTenants.Contains(Roles.AllTenants) ? null : adminTenants;
}
