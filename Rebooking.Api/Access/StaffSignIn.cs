using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rebooking.Access;
using Rebooking.Api.StaffConsole;
using Rebooking.Api.Rebookings;

namespace Rebooking.Api.Access;

public sealed record SignInModel(string Email, string ReturnUrl, string? Error);

/// <summary>
/// <c>/staff/login</c> and <c>/staff/logout</c>: e-mail and password against <see cref="StaffAccounts"/>, then a
/// session cookie carrying the same claims an API key would (role, tenant, actor). Failures say nothing about
/// whether the address exists; a locked account is told so (the owner needs to know why the right password fails).
/// </summary>
public static class StaffSignIn
{
    public static RouteGroupBuilder MapStaffSignIn(this RouteGroupBuilder console)
    {
        console.MapGet("/login", Show).AllowAnonymous();
        console.MapPost("/login", SignIn).AllowAnonymous().RequireRateLimiting(RebookApi.RateLimitPolicy);
        console.MapPost("/logout", (Delegate)SignOut).RequireAuthorization(StaffAuth.ConsoleSupervisorPolicy);
        return console;
    }

    static RazorComponentResult<SignInPage> Show(HttpContext http, string? returnUrl) =>
        ConsolePages.Render<SignInPage>(http, new SignInModel("", ConsolePages.LocalOrHome(returnUrl), null));

    /// <summary>Antiforgery is checked by the framework (form binding); the rate limit slows guessing across accounts.</summary>
    static async Task<IResult> SignIn(HttpContext http, [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl,
        StaffAccounts accounts, CancellationToken ct)
    {
        var back = ConsolePages.LocalOrHome(returnUrl);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            return ConsolePages.Render<SignInPage>(http, new SignInModel(email ?? "", back, "SignInMissing"), StatusCodes.Status400BadRequest);
        var (result, member) = await accounts.SignInAsync(email, password, ct);
        if (result != Rebooking.Access.SignInResult.Success)
            return ConsolePages.Render<SignInPage>(http, new SignInModel(email, back,
                result == Rebooking.Access.SignInResult.LockedOut ? "SignInLocked" : "SignInWrong"), StatusCodes.Status401Unauthorized);

        var identity = new ClaimsIdentity(StaffSessions.Claims(member!), StaffAuth.CookieScheme);
        await http.SignInAsync(StaffAuth.CookieScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(member!.MustChangePassword ? StaffSessions.PasswordPath : back);
    }

    static async Task<IResult> SignOut(HttpContext http)
    {
        await http.SignOutAsync(StaffAuth.CookieScheme);
        return Results.Redirect("/staff/login");
    }
}
