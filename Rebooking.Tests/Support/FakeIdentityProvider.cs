using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Rebooking.Tests.Support;

/// <summary>
/// An OpenID Connect issuer on 127.0.0.1 serving a discovery document and its signing keys, so the Api
/// validates tokens exactly as against a real identity provider. <see cref="Token"/> signs locally.
/// </summary>
public sealed class FakeIdentityProvider : IAsyncDisposable
{
    readonly WebApplication app;
    readonly RsaSecurityKey key = new(RSA.Create(2048)) { KeyId = "test-key" };

    FakeIdentityProvider(WebApplication app) => this.app = app;

    public string Authority { get; private set; } = "";

    public static async Task<FakeIdentityProvider> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var provider = new FakeIdentityProvider(app);
        app.MapGet("/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = provider.Authority,
            ["jwks_uri"] = provider.Authority + "/jwks",
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/jwks", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(provider.key);
            return Results.Json(new { keys = new[] { new { kty = "RSA", use = "sig", kid = jwk.Kid, alg = "RS256", n = jwk.N, e = jwk.E } } });
        });
        await app.StartAsync();
        provider.Authority = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return provider;
    }

    /// <summary>A signed token for <paramref name="audience"/>; <paramref name="otherKey"/> signs with a key the issuer does not publish.</summary>
    public string Token(string audience, string role, string tenant, bool otherKey = false, DateTime? expires = null)
    {
        var signingKey = otherKey ? new RsaSecurityKey(RSA.Create(2048)) { KeyId = "test-key" } : key;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Authority,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", "staff-42"), new Claim("role", role), new Claim("tenant", tenant)]),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(10),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(10)).AddMinutes(-20),
            SigningCredentials = new SigningCredentials(signingKey, SecurityAlgorithms.RsaSha256),
        });
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
