using System.Security.Claims;
using FluentValidation;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Rebooking.Access;
using Rebooking.Api.StaffConsole;
using Rebooking.Tenants;

namespace Rebooking.Api.Access;

/// <summary>
/// Staff accounts in the console. Admins list the accounts of their tenants (an admin of all tenants: every
/// account), create one with a one-time password shown once, disable and enable, unlock, and reset a password;
/// every signed-in user changes their own password. Which accounts an admin manages is <see cref="AccountAccess"/>;
/// an account the admin may not manage answers 403 whether it exists or not.
/// </summary>
public static class AccountPages
{
    static readonly string[] Notices = ["created", "disabled", "enabled", "unlocked", "unchanged", "self"];

    public static RouteGroupBuilder MapAccountPages(this RouteGroupBuilder console)
    {
        var admin = console.MapGroup("/accounts").RequireAuthorization(StaffAuth.ConsoleAdminPolicy);
        admin.MapGet("", List);
        admin.MapGet("/new", New);
        admin.MapPost("", Create);
        admin.MapPost("/{id}/{change:regex(^(disable|enable|unlock|reset)$)}", Change);

        var own = console.MapGroup("/password").RequireAuthorization(StaffAuth.ConsoleSupervisorPolicy);
        own.MapGet("", ShowPasswordForm);
        own.MapPost("", ChangePassword);
        return console;
    }

    static IReadOnlyCollection<string> TenantsOf(ClaimsPrincipal user) => user.FindAll(RebookingClaims.Tenant).Select(c => c.Value).ToList();

    static string OwnId(ClaimsPrincipal user) => user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? "";

    static async Task<IResult> List(HttpContext http, string? done, StaffAccounts accounts, TenantStore tenants, TimeProvider clock, CancellationToken ct)
    {
        var list = await accounts.ListAsync(AccountAccess.Listed(TenantsOf(http.User)), ct);
        var names = (await tenants.ListAsync(ct)).ToDictionary(t => t.Id, t => t.Name);
        return ConsolePages.Render<AccountsPage>(http, new AccountsModel(list, names, clock.GetUtcNow(),
            Notices.Contains(done) ? done : null, OwnId(http.User)));
    }

    static async Task<IResult> New(HttpContext http, TenantStore tenants, CancellationToken ct) =>
        ConsolePages.Render<AccountFormPage>(http, await FormModelAsync(http, new AccountForm("", "", Roles.Clerk, ""), new Dictionary<string, string>(), tenants, ct));

    static async Task<AccountFormModel> FormModelAsync(HttpContext http, AccountForm form, IReadOnlyDictionary<string, string> errors, TenantStore tenants, CancellationToken ct)
    {
        var mine = TenantsOf(http.User);
        var choosable = (await tenants.ListAsync(ct)).Where(t => AccountAccess.MayManage(mine, t.Id)).ToList();
        return new AccountFormModel(form, choosable, mine.Contains(Roles.AllTenants), errors);
    }

    /// <summary>Creates the account with a random one-time password and shows it once; 400 with the form for bad input.</summary>
    static async Task<IResult> Create(HttpContext http, [FromForm] string? email, [FromForm] string? name, [FromForm] string? role, [FromForm] string? tenant,
        StaffAccounts accounts, TenantStore tenants, IValidator<AddStaffRequest> validator, CancellationToken ct)
    {
        var view = StaffView.For(http);
        var form = new AccountForm(email?.Trim() ?? "", name?.Trim() ?? "", role ?? "", tenant ?? "");
        var errors = new Dictionary<string, string>();
        var password = PasswordHash.NewPassword();
        var request = new AddStaffRequest(form.Email, form.Name, form.Role, form.Tenant, password);
        foreach (var failure in (await validator.ValidateAsync(request, ct)).Errors)
        {
            var field = failure.PropertyName.ToLowerInvariant();
            if (field != "password") errors.TryAdd(field, view.T("AccountInvalid_" + field));
        }
        if (!errors.ContainsKey("tenant"))
        {
            if (!AccountAccess.MayManage(TenantsOf(http.User), form.Tenant)) return ConsolePages.Forbidden(http);
            if (form.Tenant != Roles.AllTenants && await tenants.GetAsync(form.Tenant, ct) is null) errors["tenant"] = view.T("AccountInvalid_tenant");
        }
        if (errors.Count == 0)
        {
            var id = await accounts.AddAsync(request, http.User.Actor(), mustChangePassword: true, ct);
            if (id is not null && await accounts.GetAsync(id, ct) is { } created)
                return ConsolePages.Render<OneTimePasswordPage>(http, new OneTimePasswordModel(created, password, Created: true));
            errors["email"] = view.T("AccountEmailTaken");
        }
        return ConsolePages.Render<AccountFormPage>(http, await FormModelAsync(http, form, errors, tenants, ct), StatusCodes.Status400BadRequest);
    }

    /// <summary>Disable, enable, unlock (back to the list) or reset (the new one-time password, shown once).</summary>
    static async Task<IResult> Change(HttpContext http, string id, string change, StaffAccounts accounts, CancellationToken ct)
    {
        if (await accounts.GetAsync(id, ct) is not { } account || !AccountAccess.MayManage(TenantsOf(http.User), account.TenantId))
            return ConsolePages.Forbidden(http);
        var actor = http.User.Actor();
        if (change == "reset")
            return ConsolePages.Render<OneTimePasswordPage>(http,
                new OneTimePasswordModel(account, await accounts.ResetPasswordAsync(account, actor, ct), Created: false));
        if (change == "disable" && account.Id == OwnId(http.User)) return Results.Redirect("/staff/accounts?done=self");
        var changed = change switch
        {
            "disable" => await accounts.SetDisabledAsync(account, true, actor, ct),
            "enable" => await accounts.SetDisabledAsync(account, false, actor, ct),
            _ => await accounts.UnlockAsync(account, actor, ct),
        };
        var notice = !changed ? "unchanged" : change switch { "disable" => "disabled", "enable" => "enabled", _ => "unlocked" };
        return Results.Redirect($"/staff/accounts?done={notice}");
    }

    static IResult ShowPasswordForm(HttpContext http) =>
        ConsolePages.Render<ChangePasswordPage>(http, new ChangePasswordModel(IsForced(http), new Dictionary<string, string>()));

    static bool IsForced(HttpContext http) => StaffSessions.MustChangePassword(http);

    /// <summary>
    /// The holder's own change. The new password follows <see cref="PasswordPolicy"/>; the account's other sessions
    /// end, and this one continues under the new session version.
    /// </summary>
    static async Task<IResult> ChangePassword(HttpContext http, [FromForm] string? current, [FromForm] string? password, [FromForm] string? confirm,
        StaffAccounts accounts, CancellationToken ct)
    {
        var view = StaffView.For(http);
        var id = OwnId(http.User);
        if (await accounts.GetAsync(id, ct) is not { } account) return ConsolePages.Forbidden(http);
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrEmpty(current)) errors["current"] = view.T("CurrentPasswordMissing");
        if (PasswordPolicy.Problem(password, account.Email) is { } problem) errors["password"] = view.T(problem, PasswordPolicy.MinLength);
        else if (password == current) errors["password"] = view.T("PasswordUnchanged");
        if (!errors.ContainsKey("password") && password != confirm) errors["confirm"] = view.T("PasswordMismatch");
        if (errors.Count == 0)
        {
            if (await accounts.ChangeOwnPasswordAsync(id, current!, password!, http.User.Actor(), ct) is { } version)
            {
                var member = new StaffMember
                {
                    Id = account.Id, Email = account.Email, Name = account.Name, Role = account.Role, TenantId = account.TenantId, SessionVersion = version,
                };
                await http.SignInAsync(StaffAuth.CookieScheme, new ClaimsPrincipal(new ClaimsIdentity(StaffSessions.Claims(member), StaffAuth.CookieScheme)));
                return Results.Redirect("/staff");
            }
            errors["current"] = view.T("CurrentPasswordWrong");
        }
        return ConsolePages.Render<ChangePasswordPage>(http, new ChangePasswordModel(IsForced(http), errors), StatusCodes.Status400BadRequest);
    }
}
