using Rebooking.Access;
using Rebooking.Tenants;

namespace Rebooking.Api.Access;

/// <summary>The account list: accounts the admin manages, tenants' names, and what the last action did.</summary>
public sealed record AccountsModel(IReadOnlyList<StaffAccount> Accounts, IReadOnlyDictionary<string, string> TenantNames, DateTimeOffset Now,
    string? Notice, string OwnId);

/// <summary>What the new-account form holds (kept when it comes back with errors).</summary>
public sealed record AccountForm(string Email, string Name, string Role, string Tenant);

/// <summary>The new-account form: tenants the admin may choose, whether "all tenants" is offered, and the errors by field.</summary>
public sealed record AccountFormModel(AccountForm Form, IReadOnlyList<Tenant> Tenants, bool MayChooseAllTenants, IReadOnlyDictionary<string, string> Errors);

/// <summary>A one-time password, shown once: after creating an account or resetting its password.</summary>
public sealed record OneTimePasswordModel(StaffAccount Account, string Password, bool Created);

/// <summary>The own password form: forced after a one-time password, and its errors by field.</summary>
public sealed record ChangePasswordModel(bool Forced, IReadOnlyDictionary<string, string> Errors);
