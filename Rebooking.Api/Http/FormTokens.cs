using Microsoft.AspNetCore.Antiforgery;

namespace Rebooking.Api.Http;

/// <summary>The antiforgery check for every form POST of a group of pages (the citizen's page, the staff console).</summary>
public static class FormTokens
{
    /// <summary>
    /// An endpoint filter: a POST without the form's valid antiforgery token is answered 400 and its handler never
    /// runs. The framework checks the token only for handlers that bind form fields; this checks every POST, so a
    /// handler that binds nothing (decline, resolve, sign-out) is protected all the same.
    /// </summary>
    public static async ValueTask<object?> Require(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method) && !await http.RequestServices.GetRequiredService<IAntiforgery>().IsRequestValidAsync(http))
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Form expired",
                detail: "The form's security token is missing or invalid. Reload the page and try again.");
        return await next(context);
    }
}
