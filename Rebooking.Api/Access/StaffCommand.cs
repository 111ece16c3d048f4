using FluentValidation;
using Rebooking.Access;
using Rebooking.Data;

namespace Rebooking.Api.Access;

/// <summary>
/// <c>dotnet run --project Rebooking.Api -- staff add --email a@b.de --name "Ada Admin" --role admin --tenant "*"</c>:
/// creates a console account against the configured database (migrating it first). The password is read from
/// standard input when <c>--password-stdin</c> is given (so it stays out of shell history), otherwise a random
/// one is generated and printed once. Other arguments (<c>--Database:Provider=sqlserver</c> ...) are configuration.
/// </summary>
public static class StaffCommand
{
    public static bool Matches(string[] args) => args is ["staff", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is not ["staff", "add", .. var rest])
        {
            await Console.Error.WriteLineAsync("Usage: staff add --email <e-mail> --name <name> --role admin|clerk|supervisor --tenant <slug>|* [--password-stdin]");
            return 2;
        }
        var options = new Dictionary<string, string>();
        var configuration = new List<string>();
        var passwordFromStdin = false;
        for (var i = 0; i < rest.Length; i++)
        {
            if (rest[i] == "--password-stdin") passwordFromStdin = true;
            else if (rest[i] is "--email" or "--name" or "--role" or "--tenant" && i + 1 < rest.Length) options[rest[i][2..]] = rest[++i];
            else configuration.Add(rest[i]);
        }
        var generated = !passwordFromStdin;
        var password = passwordFromStdin ? (await Console.In.ReadLineAsync())?.TrimEnd('\r', '\n') : PasswordHash.NewPassword();
        var request = new AddStaffRequest(options.GetValueOrDefault("email"), options.GetValueOrDefault("name"),
            options.GetValueOrDefault("role"), options.GetValueOrDefault("tenant"), password);

        var builder = WebApplication.CreateBuilder([.. configuration]);
        builder.Logging.ClearProviders();
        builder.AddRebookingCore();
        await using var app = builder.Build();
        var validation = await app.Services.GetRequiredService<IValidator<AddStaffRequest>>().ValidateAsync(request);
        if (!validation.IsValid)
        {
            foreach (var error in validation.Errors) await Console.Error.WriteLineAsync($"{error.PropertyName}: {error.ErrorMessage}");
            return 2;
        }
        await app.Services.GetRequiredService<Migrator>().MigrateAsync();
        if (!await app.Services.GetRequiredService<StaffAccounts>().AddAsync(request, "cli"))
        {
            await Console.Error.WriteLineAsync("An account with this e-mail address exists already.");
            return 1;
        }
        Console.WriteLine($"Created the {request.Role} account for tenant '{request.Tenant}'.");
        if (generated) Console.WriteLine($"Password (shown once): {password}");
        return 0;
    }
}
