using Hangfire;
using Hangfire.Dashboard;
using Rebooking.Access;
using Rebooking.Api.Access;

namespace Rebooking.Api.Operations;

/// <summary>
/// Hangfire's dashboard at <c>/hangfire</c>, where operators look first when work is stuck. Only for admins of
/// all tenants signed in through the staff console's cookie: anonymous users are sent to the sign-in, every
/// other role gets 403. Read-only (Hangfire refuses its own POSTs), and it never shows the connection string.
/// What it can show is ids: our jobs carry outage ids only, and never fail with an exception text.
/// Mapped only where this process has Hangfire storage (an in-process worker, or the job client on SQL Server).
/// </summary>
public static class JobsDashboard
{
    public const string Path = "/hangfire";
    public const string Policy = "console-all-tenants-admin";

    public static IHostApplicationBuilder AddJobsDashboard(this IHostApplicationBuilder builder)
    {
        builder.Services.AddAuthorizationBuilder().AddPolicy(Policy, p => p.AddAuthenticationSchemes(StaffAuth.CookieScheme)
            .RequireClaim(RebookingClaims.Role, Roles.Admin).RequireClaim(RebookingClaims.Tenant, Roles.AllTenants));
        return builder;
    }

    public static IEndpointRouteBuilder MapJobsDashboard(this IEndpointRouteBuilder app)
    {
        if (app.ServiceProvider.GetService<JobStorage>() is null) return app;
        app.MapHangfireDashboardWithAuthorizationPolicy(Policy, Path, new DashboardOptions
        {
            DashboardTitle = "Rebooking – Hangfire",
            AppPath = "/staff",
            IsReadOnlyFunc = _ => true,
            DisplayStorageConnectionString = false,
            StatsPollingInterval = 10_000,
        });
        return app;
    }
}
