using Dapper;
using Microsoft.Data.Sqlite;
using Rebooking.Access;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Access;

/// <summary><c>dotnet run --project Rebooking.Api -- staff add ...</c> as an operator runs it, against a real database file.</summary>
public sealed class StaffCommandTests
{
    [Test]
    public async Task StaffAdd_CreatesTheAccount_PrintsAGeneratedPasswordOnce_AndRefusesDuplicatesAndBadInput()
    {
        var directory = Directory.CreateTempSubdirectory("rebooking-cli-").FullName;
        var environment = new Dictionary<string, string?> { ["Demo__Seed"] = "false" };

        var (exit, output) = await AppProcess.RunAsync("Rebooking.Api", directory, environment, null,
            "staff", "add", "--email", "lead@velbert.example", "--name", "Amtsleitung Velbert", "--role", "supervisor", "--tenant", "velbert");
        Assert.That(exit, Is.EqualTo(0), output);
        var password = output.Split('\n').Single(l => l.StartsWith("Password (shown once): ")).Trim()["Password (shown once): ".Length..];
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "data", "rebooking.db")};Pooling=False"))
        {
            var stored = await connection.QuerySingleAsync<(string Role, string Tenant, string Hash)>(
                "SELECT role AS Role, tenant_id AS Tenant, password_hash AS Hash FROM staff_accounts WHERE email = 'lead@velbert.example'");
            Assert.That((stored.Role, stored.Tenant), Is.EqualTo(("supervisor", "velbert")));
            Assert.That(PasswordHash.Verify(password, stored.Hash), Is.True, "the printed password is the stored one");
        }

        var duplicate = await AppProcess.RunAsync("Rebooking.Api", directory, environment, "another long password",
            "staff", "add", "--email", "LEAD@velbert.example", "--name", "X", "--role", "clerk", "--tenant", "velbert", "--password-stdin");
        Assert.That(duplicate.ExitCode, Is.EqualTo(1));
        Assert.That(duplicate.Output, Does.Contain("exists already"));

        var invalid = await AppProcess.RunAsync("Rebooking.Api", directory, environment, "short",
            "staff", "add", "--email", "x@velbert.example", "--name", "X", "--role", "clerk", "--tenant", "*", "--password-stdin");
        Assert.That(invalid.ExitCode, Is.EqualTo(2));
        Assert.That(invalid.Output, Does.Contain("Only admins may act for all tenants").And.Contain("at least 12 characters"));
    }
}
