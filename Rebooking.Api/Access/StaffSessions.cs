using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Rebooking.Access;

namespace Rebooking.Api.Access;

/// <summary>
/// Checks every console session against its account on every request (one indexed read): a disabled account,
/// an account whose password was reset or changed elsewhere, or a deleted one loses its session at once, and an
/// account that must change its password is marked for <see cref="RequirePasswordChange"/>.
/// </summary>
public static class StaffSessions
{
    /// <summary>The account's session version, stamped into the cookie at sign-in.</summary>
    public const string VersionClaim = "rebooking:session-version";

    const string MustChangeItem = "rebooking:must-change-password";

    public const string PasswordPath = "/staff/password";

    public static IEnumerable<Claim> Claims(StaffMember member) =>
    [
        new Claim(ClaimTypes.NameIdentifier, member.Id),
        new Claim(ClaimTypes.Name, member.Name),
        new Claim(RebookingClaims.Role, member.Role),
        new Claim(RebookingClaims.Tenant, member.TenantId),
        new Claim(RebookingClaims.Actor, $"staff:{member.Email}"),
        new Claim(VersionClaim, member.SessionVersion.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    /// <summary>True while the signed-in account holds a one-time password (set by <see cref="ValidateAsync"/>).</summary>
    public static bool MustChangePassword(HttpContext http) => http.Items.ContainsKey(MustChangeItem);

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var id = context.Principal?.FindFirst(ClaimTypes.NameIdentifier)?.Value;
        var version = context.Principal?.FindFirst(VersionClaim)?.Value;
        var accounts = context.HttpContext.RequestServices.GetRequiredService<StaffAccounts>();
        var session = id is null ? null : await accounts.SessionAsync(id, context.HttpContext.RequestAborted);
        if (session is null || session.Disabled || version != session.SessionVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(StaffAuth.CookieScheme);
            return;
        }
        if (session.MustChangePassword) context.HttpContext.Items[MustChangeItem] = true;
    }

    /// <summary>
    /// Console filter: while the signed-in account holds a one-time password, every page but the password form,
    /// sign-out and the language switch leads to the password form.
    /// </summary>
    public static async ValueTask<object?> RequirePasswordChange(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (MustChangePassword(http)
            && !http.Request.Path.StartsWithSegments(PasswordPath)
            && !http.Request.Path.StartsWithSegments("/staff/logout")
            && !http.Request.Path.StartsWithSegments("/staff/language"))
            return Results.Redirect(PasswordPath);
        return await next(context);
    }
}
