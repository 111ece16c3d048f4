using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rebooking.Access;
using Rebooking.Notifications;
using Rebooking.Api.Http;
using Rebooking.Api.StaffConsole;
using Rebooking.Api.Rebookings;

namespace Rebooking.Api.Access;

public sealed record SignInModel(string Email, string ReturnUrl, string? Error);

/// <summary>
/// <c>/staff/login</c> and <c>/staff/logout</c>: e-mail and password against <see cref="StaffAccounts"/>, then a
/// session cookie carrying the same claims an API key would (role, tenant, actor). Unknown address, wrong password
/// and locked account get the same answer (status, text, and the same password-hashing work), so the page says
/// nothing about which accounts exist; the text names the lock as one possible cause and sends the holder to an
/// admin, who sees the lock in the log (a warning with the account's masked address).
/// </summary>
public static class StaffSignIn
{
    public static RouteGroupBuilder MapStaffSignIn(this RouteGroupBuilder console)
    {
        console.MapGet("/login", Show).AllowAnonymous();
        console.MapPost("/login", SignIn).AllowAnonymous().RequireRateLimiting(RateLimits.SignIn);
        console.MapPost("/logout", (Delegate)SignOut).RequireAuthorization(StaffAuth.ConsoleSupervisorPolicy);
        return console;
    }

    static RazorComponentResult<SignInPage> Show(HttpContext http, string? returnUrl) =>
        ConsolePages.Render<SignInPage>(http, new SignInModel("", LocalUrl.OrHome(returnUrl), null));

    /// <summary>Antiforgery is checked by the framework (form binding); the rate limit slows guessing across accounts.</summary>
    static async Task<IResult> SignIn(HttpContext http, [FromForm] string? email, [FromForm] string? password, [FromForm] string? returnUrl,
        StaffAccounts accounts, SignInThrottle throttle, ILoggerFactory logs, CancellationToken ct)
    {
        var back = LocalUrl.OrHome(returnUrl);
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrEmpty(password))
            return ConsolePages.Render<SignInPage>(http, new SignInModel(email ?? "", back, "SignInMissing"), StatusCodes.Status400BadRequest);
        if (!throttle.TryAttempt(email))
            return ConsolePages.Render<SignInPage>(http, new SignInModel(email, back, "SignInThrottled"), StatusCodes.Status429TooManyRequests);
        var (result, member) = await accounts.SignInAsync(email, password, ct);
        if (result == Rebooking.Access.SignInResult.LockedOut)
            logs.CreateLogger(typeof(StaffSignIn).FullName!).LogWarning("Sign-in refused: the staff account {Account} is locked after too many failed attempts", Masking.Email(email));
        if (result != Rebooking.Access.SignInResult.Success)
            return ConsolePages.Render<SignInPage>(http, new SignInModel(email, back, "SignInRefused"), StatusCodes.Status401Unauthorized);

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
