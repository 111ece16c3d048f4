using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;
using Rebooking.Api.Http;

namespace Rebooking.Api.StaffConsole;

/// <summary>
/// What every console page shares: security headers (a CSP that allows only our own script and styles),
/// no caching, rendering a Razor component with the <see cref="StaffView"/>, the language switch, and the
/// static stylesheet and script.
/// </summary>
public static class ConsolePages
{
    public const string SecurityPolicy =
        "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>The console's routes share these headers; the pages themselves map onto the returned group.</summary>
    public static RouteGroupBuilder MapConsole(this IEndpointRouteBuilder app)
    {
        app.MapGet("/assets/staff.css", () => Results.Text(ConsoleAssets.Stylesheet, "text/css; charset=utf-8")).ExcludeFromDescription();
        app.MapGet("/assets/staff.js", () => Results.Text(ConsoleAssets.Script, "text/javascript; charset=utf-8")).ExcludeFromDescription();
        var group = app.MapGroup("/staff").WithTags("Console").ExcludeFromDescription()
            .AddEndpointFilter(SecurityHeaders).AddEndpointFilter(FormTokens.Require)
            .AddEndpointFilter(Access.StaffSessions.RequirePasswordChange);
        group.MapGet("/language", SwitchLanguage).AllowAnonymous();
        return group;
    }

    static async ValueTask<object?> SecurityHeaders(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        PageHeaders.Set(context.HttpContext.Response, SecurityPolicy, "same-origin");
        return await next(context);
    }


    /// <summary>Renders <typeparamref name="TPage"/> with its <c>Staff</c> and <c>Model</c> parameters.</summary>
    public static RazorComponentResult<TPage> Render<TPage>(HttpContext http, object? model, int status = StatusCodes.Status200OK)
        where TPage : IComponent =>
        new(new Dictionary<string, object?> { ["Staff"] = StaffView.For(http), ["Model"] = model }) { StatusCode = status };

    /// <summary>A 403 page for a signed-in user who asked for another tenant's data.</summary>
    public static RazorComponentResult<ForbiddenPage> Forbidden(HttpContext http) => Render<ForbiddenPage>(http, null, StatusCodes.Status403Forbidden);

    static IResult SwitchLanguage(HttpContext http, string? to, string? returnUrl)
    {
        http.Response.Cookies.Append(StaffView.LanguageCookie, to == "en" ? "en" : "de", new CookieOptions
        {
            HttpOnly = true, Secure = true, SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), IsEssential = true,
        });
        return Results.Redirect(LocalUrl.OrHome(returnUrl));
    }
}
