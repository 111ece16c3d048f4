using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Rebooking.Api.Http;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Operations;

/// <summary>The redaction that keeps link tokens out of logs covers every route that carries a token, including future ones.</summary>
public sealed class TokenRedactionTests
{
    [Test]
    public async Task EveryMappedRouteWithATokenParameter_IsRedactedWhateverTheToken()
    {
        await using var app = await RebookingApp.StartAsync();
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.Parameters.Any(p => p.Name == "token"))
            .Select(e => e.RoutePattern.RawText!).Distinct().ToList();
        Assert.That(routes, Has.Count.GreaterThanOrEqualTo(4), "the citizens' page and API are found");
        foreach (var route in routes)
        {
            var path = "/" + route.TrimStart('/').Replace("{token}", "S3cr3t-T0ken_x");
            path = System.Text.RegularExpressions.Regex.Replace(path, "{[^}]+}", "1");
            var redacted = TokenPaths.Redact(path);
            Assert.That(redacted, Is.Not.Null.And.Not.Contains("S3cr3t"), route);
            Assert.That(TokenPaths.Redact(path.ToUpperInvariant()), Is.Not.Null.And.Not.Contains("S3CR3T"), route + " in capitals");
        }
    }

    [TestCase("/r/abc", "/r/[token]")]
    [TestCase("/r/abc/decline", "/r/[token]/decline")]
    [TestCase("//r//abc?lang=en", "//r//[token]?lang=en")]
    [TestCase("/api/rebook/abc/decline", "/api/rebook/[token]/decline")]
    [TestCase("/API/REBOOK/abc", "/API/REBOOK/[token]")]
    [TestCase("/staff/outages", null)]
    [TestCase("/status/velbert", null)]
    public void Redact_ReplacesTheTokenSegmentOnly(string path, string? expected) =>
        Assert.That(TokenPaths.Redact(path), Is.EqualTo(expected));
}
