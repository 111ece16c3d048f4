using Dapper;
using Microsoft.Extensions.Options;
using Rebooking.Data;

namespace Rebooking.Access;

/// <summary>Staff accounts: creating them, and signing in with a per-account lockout.</summary>
public sealed class StaffAccounts(Db db, Audit audit, TimeProvider clock, IOptions<StaffOptions> options)
{
    readonly StaffOptions options = options.Value;

    /// <summary>Stores the account. False when the e-mail address is taken (the unique constraint decides).</summary>
    public async Task<bool> AddAsync(AddStaffRequest request, string actor, CancellationToken ct = default)
    {
        var id = Guid.NewGuid().ToString();
        var hash = PasswordHash.Create(request.Password!);
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var inserted = await connection.ExecuteAsync(db.Sql(StaffSql.InsertIfAbsent), new
            {
                Id = id, Email = Normalize(request.Email!), request.Name, request.Role, TenantId = request.Tenant,
                PasswordHash = hash, CreatedAt = clock.GetUtcNow(), CreatedBy = actor,
            }, transaction);
            if (inserted == 0) return false;
            await audit.RecordAsync(connection, transaction, actor, request.Tenant == Roles.AllTenants ? null : request.Tenant,
                "staff.created", id, request.Role);
            return true;
        }, ct);
    }

    /// <summary>
    /// Checks the password. After <see cref="StaffOptions.MaxFailedAttempts"/> failures in a row the account is
    /// locked for <see cref="StaffOptions.LockoutDuration"/>, and even the right password is refused until then.
    /// An unknown address costs the same hashing time as a known one.
    /// </summary>
    public async Task<(SignInResult Result, StaffMember? Member)> SignInAsync(string email, string password, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        var account = await connection.QuerySingleOrDefaultAsync<StoredAccount>(StaffSql.FindByEmail, new { Email = Normalize(email) });
        var now = clock.GetUtcNow();
        if (account is null)
        {
            PasswordHash.Verify(password, PasswordHash.Decoy);
            return (SignInResult.WrongCredentials, null);
        }
        if (account.LockedUntil > now) return (SignInResult.LockedOut, null);
        if (!PasswordHash.Verify(password, account.PasswordHash))
        {
            // One guarded statement counts the failure and locks on the last allowed one, whatever runs concurrently.
            await connection.ExecuteAsync(StaffSql.RecordFailure, new
            {
                account.Id, options.MaxFailedAttempts, LockedUntil = now + options.LockoutDuration, Now = now,
            });
            var locked = await connection.ExecuteScalarAsync<int>(StaffSql.IsLocked, new { account.Id, Now = now }) > 0;
            return (locked ? SignInResult.LockedOut : SignInResult.WrongCredentials, null);
        }
        await connection.ExecuteAsync(StaffSql.RecordSuccess, new { account.Id, Now = now });
        return (SignInResult.Success, new StaffMember
        {
            Id = account.Id, Email = account.Email, Name = account.Name, Role = account.Role, TenantId = account.TenantId,
        });
    }

    static string Normalize(string email) => email.Trim().ToLowerInvariant();

    sealed class StoredAccount
    {
        public string Id { get; init; } = "";
        public string Email { get; init; } = "";
        public string Name { get; init; } = "";
        public string Role { get; init; } = "";
        public string TenantId { get; init; } = "";
        public string PasswordHash { get; init; } = "";
        public DateTimeOffset? LockedUntil { get; init; }
    }
}
