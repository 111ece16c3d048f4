using System.Text.Json;
using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Rebooking.Api.Http;

/// <summary>RFC 9457 answers shared by every endpoint.</summary>
public static partial class Problems
{
    public static ValidationProblem ValidationFailed(Dictionary<string, string[]> errors) =>
        TypedResults.ValidationProblem(errors, title: "The request is invalid; nothing was stored.");

    public static ProblemHttpResult NotFound(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    /// <summary>
    /// Problem details for every error answer, including 401/403 from authentication and bodies that are
    /// not JSON or carry a value of the wrong type (named by its path, e.g. <c>services[0].durationMinutes</c>).
    /// </summary>
    public static IHostApplicationBuilder AddProblemAnswers(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails();
        builder.Services.AddExceptionHandler<BadRequestHandler>();
        // Binding failures throw, so BadRequestHandler can name the field instead of answering an empty 400.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    /// <summary>Turns the framework's body-binding failures into 400 problem details naming the field.</summary>
    sealed class BadRequestHandler(IProblemDetailsService problems) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
        {
            if (exception is not BadHttpRequestException bad) return false;
            var errors = new Dictionary<string, string[]>();
            if (bad.InnerException is JsonException json)
                errors[JsonPathToField(json.Path)] = ["The value has the wrong type or format."];
            context.Response.StatusCode = bad.StatusCode;
            var details = new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = bad.StatusCode,
                Title = bad.StatusCode == 400 ? "The request is invalid; nothing was stored." : "The request could not be read.",
                Detail = bad.InnerException is JsonException ? "The body is not valid JSON for this endpoint." : bad.Message,
            };
            if (errors.Count > 0) details.Extensions["errors"] = errors;
            return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
        }
    }

    /// <summary><c>$.services[0].durationMinutes</c> → <c>services[0].durationMinutes</c>; the root → <c>body</c>.</summary>
    static string JsonPathToField(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return "body";
        return QuotedMember().Replace(path, ".$1").TrimStart('$').TrimStart('.');
    }

    [GeneratedRegex(@"\['([^']*)'\]")]
    private static partial Regex QuotedMember();
}

/// <summary>
/// Runs the FluentValidation validator registered for an endpoint's body, before the handler: a 400 with
/// every invalid field, and the handler (which stores) is never called. Every text in the body is first held to
/// <see cref="InputText"/> (no control or bidirectional formatting characters).
/// </summary>
public static class ValidationFilter
{
    public static TBuilder WithValidation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilterFactory((factoryContext, next) =>
        {
            var services = factoryContext.ApplicationServices;
            var validated = factoryContext.MethodInfo.GetParameters()
                .Select((p, index) => (index, optional: p.HasDefaultValue,
                    validator: services.GetService(typeof(IValidator<>).MakeGenericType(p.ParameterType)) as IValidator))
                .Where(p => p.validator is not null)
                .ToList();
            if (validated.Count == 0) return next;
            return async context =>
            {
                foreach (var (index, optional, validator) in validated)
                {
                    var argument = context.Arguments[index];
                    if (argument is null && optional) continue;
                    if (argument is null)
                        return Problems.ValidationFailed(new() { ["body"] = ["A JSON body is required."] });
                    if (InputText.Check(argument) is { Count: > 0 } unreadable)
                        return Problems.ValidationFailed(unreadable);
                    var result = await validator!.ValidateAsync(new ValidationContext<object>(argument), context.HttpContext.RequestAborted);
                    if (!result.IsValid)
                        return Problems.ValidationFailed(new Dictionary<string, string[]>(result.ToDictionary()));
                }
                return await next(context);
            };
        });
}
