using Rebooking.Access;
using Rebooking.Data;
using Rebooking.Tenants;

namespace Rebooking.Api.Operations;

public static class Startup
{
    /// <summary>
    /// Before the Api answers: migrate; create the bootstrap admin key on an empty database; seed the demo
    /// tenant into an empty database (SQLite by default; SQL Server only with <c>Demo:Seed=true</c>).
    /// </summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var services = app.Services;
        var config = app.Configuration;
        var db = services.GetRequiredService<Db>();
        await services.GetRequiredService<Migrator>().MigrateAsync();

        var key = await services.GetRequiredService<ApiKeyStore>().EnsureBootstrapAdminAsync(config["Demo:AdminApiKey"]);
        if (key is not null && string.IsNullOrWhiteSpace(config["Demo:AdminApiKey"]))
        {
            // Written to the console once, on purpose not through the logging pipeline that ships logs elsewhere.
            Console.WriteLine();
            Console.WriteLine("  Admin API key for all tenants (shown once, only its hash is stored):");
            Console.WriteLine($"    X-Api-Key: {key}");
            Console.WriteLine();
        }

        var seed = config.GetValue<bool?>("Demo:Seed") ?? db.Provider == DatabaseProvider.Sqlite;
        var tenants = services.GetRequiredService<TenantStore>();
        if (seed && !await tenants.AnyAsync())
        {
            var demoDay = await services.GetRequiredService<DemoTenant>().SeedAsync();
            app.Logger.LogInformation("Seeded the demo tenant {Tenant} with {Count} bookings on the next working day",
                DemoTenant.Slug, DemoTenant.BookingCount);
            // On the console, like the key: the README's walk-through starts from this date.
            Console.WriteLine($"  demo day: {demoDay:yyyy-MM-dd} ({DemoTenant.BookingCount} bookings of {DemoTenant.Slug})");
            Console.WriteLine();
            await SeedDemoStaffAsync(services, config["Demo:StaffPassword"]);
        }
    }

    /// <summary>The demo's clerk and supervisor, with <c>Demo:StaffPassword</c> or a random password printed once.</summary>
    static async Task SeedDemoStaffAsync(IServiceProvider services, string? configuredPassword)
    {
        var accounts = services.GetRequiredService<StaffAccounts>();
        var password = string.IsNullOrWhiteSpace(configuredPassword) ? PasswordHash.NewPassword() : configuredPassword;
        await accounts.AddAsync(new AddStaffRequest(DemoTenant.ClerkEmail, "Demo Sachbearbeitung", Roles.Clerk, DemoTenant.Slug, password), "demo-seed");
        await accounts.AddAsync(new AddStaffRequest(DemoTenant.SupervisorEmail, "Demo Amtsleitung", Roles.Supervisor, DemoTenant.Slug, password), "demo-seed");
        if (string.IsNullOrWhiteSpace(configuredPassword))
        {
            Console.WriteLine("  Console sign-in at /staff/login (password shown once):");
            Console.WriteLine($"    {DemoTenant.ClerkEmail} / {DemoTenant.SupervisorEmail}");
            Console.WriteLine($"    Password: {password}");
            Console.WriteLine();
        }
    }
}
