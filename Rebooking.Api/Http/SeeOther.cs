namespace Rebooking.Api.Http;

/// <summary>
/// 303 See Other to a local URL that holds a link token. The framework's redirect results log their destination at
/// Information; this one logs nothing, so the token stays out of the logs.
/// </summary>
public sealed class SeeOther(string location) : IResult
{
    public string Location { get; } = location;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}
