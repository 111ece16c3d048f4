using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Rebooking.Access;
using Rebooking.Api.Integration;

namespace Rebooking.Api.Access;

/// <summary><c>Auth:Jwt:*</c>: the identity provider whose bearer tokens staff may present instead of a key.</summary>
public sealed class JwtOptions
{
    public const string Section = "Auth:Jwt";
    public string? Authority { get; set; }
    public string? Audience { get; set; }
    /// <summary>The claim holding admin, clerk or supervisor.</summary>
    public string RoleClaim { get; set; } = "role";
    /// <summary>The claim holding the tenant slug, or '*' for an admin of every tenant.</summary>
    public string TenantClaim { get; set; } = "tenant";
    /// <summary>Leave true in production; tests serve their discovery document over plain loopback HTTP.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;
}

public static class StaffAuth
{
    public const string StaffScheme = "Staff";
    public const string ApiKeyScheme = "ApiKey";
    public const string ApiKeyHeader = "X-Api-Key";

    /// <summary>The web console's session cookie (sign-in at /staff/login).</summary>
    public const string CookieScheme = "StaffCookie";
    public const string CookieName = "__Host-rebooking-staff";

    public const string AdminPolicy = "admin";
    public const string ClerkPolicy = "clerk";
    public const string SupervisorPolicy = "supervisor";

    /// <summary>The console's policies: the same roles, from the session cookie instead of a key or token.</summary>
    public const string ConsoleAdminPolicy = "console-admin";
    public const string ConsoleClerkPolicy = "console-clerk";
    public const string ConsoleSupervisorPolicy = "console-supervisor";

    /// <summary>
    /// API keys in <c>X-Api-Key</c> and, when <c>Auth:Jwt:Authority</c> is set, JWT bearer tokens. Both yield
    /// the same claims (<see cref="RebookingClaims"/>), so policies and tenant checks do not care which was used.
    /// </summary>
    public static IHostApplicationBuilder AddStaffAuth(this IHostApplicationBuilder builder)
    {
        var jwt = builder.Configuration.GetSection(JwtOptions.Section).Get<JwtOptions>() ?? new JwtOptions();
        builder.Services.AddOptions<JwtOptions>().Bind(builder.Configuration.GetSection(JwtOptions.Section))
            .Validate(o => string.IsNullOrWhiteSpace(o.Authority) || Rebooking.Operations.StartupChecks.IsAbsoluteHttpUrl(o.Authority),
                "Auth:Jwt:Authority must be an absolute http(s) URL.")
            .ValidateOnStart();
        var jwtEnabled = !string.IsNullOrWhiteSpace(jwt.Authority);

        var authentication = builder.Services.AddAuthentication(StaffScheme)
            .AddPolicyScheme(StaffScheme, "API key or bearer token", o => o.ForwardDefaultSelector = context =>
                jwtEnabled && !context.Request.Headers.ContainsKey(ApiKeyHeader)
                    && context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? JwtBearerDefaults.AuthenticationScheme
                    : ApiKeyScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyHandler>(ApiKeyScheme, null)
            .AddCookie(CookieScheme, o =>
            {
                var staff = builder.Configuration.GetSection(StaffOptions.Section).Get<StaffOptions>() ?? new StaffOptions();
                // __Host-: only over HTTPS (browsers treat http://localhost as secure), for this host and path "/".
                o.Cookie.Name = CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.SameSite = SameSiteMode.Strict;
                o.ExpireTimeSpan = staff.SessionLifetime;
                o.SlidingExpiration = true;
                o.LoginPath = "/staff/login";
                o.LogoutPath = "/staff/logout";
                o.ReturnUrlParameter = "returnUrl";
                o.Events.OnValidatePrincipal = StaffSessions.ValidateAsync;
                // A signed-in user without the role gets a plain 403, not a redirect to a page that would loop.
                o.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });

        if (jwtEnabled)
            authentication.AddJwtBearer(o =>
            {
                o.Authority = jwt.Authority;
                o.Audience = jwt.Audience;
                o.RequireHttpsMetadata = jwt.RequireHttpsMetadata;
                o.MapInboundClaims = false;
                o.TokenValidationParameters.ValidateAudience = !string.IsNullOrWhiteSpace(jwt.Audience);
                o.Events = new JwtBearerEvents { OnTokenValidated = context => MapJwtClaims(context, jwt) };
            });

        builder.Services.AddAuthorizationBuilder()
            // An integration key passes the admin and supervisor policies only on endpoints marked AllowIntegration().
            .AddPolicy(AdminPolicy, p => p.RequireAssertion(c => c.User.HasAnyRole(Roles.Admin) || IntegrationAccess.Admits(c)))
            .AddPolicy(ClerkPolicy, p => p.RequireClaim(RebookingClaims.Role, Roles.Admin, Roles.Clerk))
            .AddPolicy(SupervisorPolicy, p => p.RequireAssertion(c => c.User.HasAnyRole(Roles.All) || IntegrationAccess.Admits(c)))
            .AddPolicy(ConsoleAdminPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireClaim(RebookingClaims.Role, Roles.Admin))
            .AddPolicy(ConsoleClerkPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireClaim(RebookingClaims.Role, Roles.Admin, Roles.Clerk))
            .AddPolicy(ConsoleSupervisorPolicy, p => p.AddAuthenticationSchemes(CookieScheme).RequireClaim(RebookingClaims.Role, Roles.All));
        return builder;
    }

    static Task MapJwtClaims(TokenValidatedContext context, JwtOptions jwt)
    {
        var principal = context.Principal!;
        var roles = principal.FindAll(jwt.RoleClaim).Select(c => c.Value).Where(Roles.IsKeyRole).ToList();
        var tenants = principal.FindAll(jwt.TenantClaim).Select(c => c.Value).ToList();
        var subject = principal.FindFirst("sub")?.Value ?? principal.FindFirst("email")?.Value ?? "unknown";
        var identity = new ClaimsIdentity("jwt");
        identity.AddClaims(roles.Select(r => new Claim(RebookingClaims.Role, r)));
        // '*' only means every tenant for admins; a clerk with '*' gets no tenant at all.
        identity.AddClaims(tenants.Where(t => t != Roles.AllTenants || roles.Contains(Roles.Admin)).Select(t => new Claim(RebookingClaims.Tenant, t)));
        identity.AddClaim(new Claim(RebookingClaims.Actor, "jwt:" + subject));
        principal.AddIdentity(identity);
        return Task.CompletedTask;
    }

    /// <summary>The name audit records use for the caller.</summary>
    public static string Actor(this ClaimsPrincipal user) => user.FindFirst(RebookingClaims.Actor)?.Value ?? "anonymous";

    /// <summary>True when the caller may act for <paramref name="tenant"/>.</summary>
    public static bool MayAccessTenant(this ClaimsPrincipal user, string tenant) =>
        user.FindAll(RebookingClaims.Tenant).Any(c => c.Value == tenant || c.Value == Roles.AllTenants);
}

/// <summary>Authenticates <c>X-Api-Key</c> against the stored hashes.</summary>
internal sealed class ApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeyStore keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(StaffAuth.ApiKeyHeader, out var presented) || string.IsNullOrEmpty(presented))
            return AuthenticateResult.NoResult();
        var key = await keys.AuthenticateAsync(presented.ToString(), Context.RequestAborted);
        if (key is null) return AuthenticateResult.Fail("Unknown or revoked API key.");
        var identity = new ClaimsIdentity(
        [
            new Claim(RebookingClaims.Role, key.Role),
            new Claim(RebookingClaims.Tenant, key.TenantId),
            new Claim(RebookingClaims.Actor, $"apikey:{key.Id} ({key.Label})"),
        ], Scheme.Name);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), Scheme.Name));
    }
}

/// <summary>
/// Tenant isolation, in one place: every route under <c>/api/tenants/{tenant}</c> passes this filter, which
/// answers 403 unless the caller's key or token is bound to that tenant (or to all).
/// </summary>
internal sealed class TenantAccessFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var tenant = context.HttpContext.Request.RouteValues["tenant"] as string;
        if (tenant is null || !context.HttpContext.User.MayAccessTenant(tenant))
            return ValueTask.FromResult<object?>(TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden, title: "Forbidden",
                detail: "Your credentials are not valid for this tenant."));
        return next(context);
    }
}
