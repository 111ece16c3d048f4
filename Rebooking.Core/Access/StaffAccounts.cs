using Dapper;
using Microsoft.Extensions.Options;
using Rebooking.Data;

namespace Rebooking.Access;

/// <summary>
/// Staff accounts: creating and managing them (disable, enable, unlock, reset and change passwords), and signing
/// in with a per-account lockout. Every change is audited in its own transaction: who, what, when, never a password.
/// </summary>
public sealed class StaffAccounts(Db db, Audit audit, TimeProvider clock, IOptions<StaffOptions> options)
{
    readonly StaffOptions options = options.Value;

    /// <summary>Stores the account. False when the e-mail address is taken (the unique constraint decides).</summary>
    public async Task<bool> AddAsync(AddStaffRequest request, string actor, CancellationToken ct = default) =>
        await AddAsync(request, actor, mustChangePassword: false, ct) is not null;

    /// <summary>
    /// Stores the account; with <paramref name="mustChangePassword"/> its password is a one-time password the holder
    /// replaces at the first sign-in. Returns the new account's id, or null when the e-mail address is taken.
    /// </summary>
    public async Task<string?> AddAsync(AddStaffRequest request, string actor, bool mustChangePassword, CancellationToken ct = default)
    {
        var id = Guid.NewGuid().ToString();
        var hash = PasswordHash.Create(request.Password!);
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            var inserted = await connection.ExecuteAsync(db.Sql(StaffSql.InsertIfAbsent), new
            {
                Id = id, Email = Normalize(request.Email!), request.Name, request.Role, TenantId = request.Tenant,
                PasswordHash = hash, MustChangePassword = mustChangePassword, CreatedAt = clock.GetUtcNow(), CreatedBy = actor,
            }, transaction);
            if (inserted == 0) return null;
            await audit.RecordAsync(connection, transaction, actor, TenantOf(request.Tenant!), "staff.created", id, request.Role);
            return id;
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
        if (account is null || account.Disabled)
        {
            PasswordHash.Verify(password, PasswordHash.Decoy);
            return (SignInResult.WrongCredentials, null);
        }
        if (account.LockedUntil > now)
        {
            // The same hashing work as any other refusal: the time taken must not tell a locked account apart.
            PasswordHash.Verify(password, PasswordHash.Decoy);
            return (SignInResult.LockedOut, null);
        }
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
            MustChangePassword = account.MustChangePassword, SessionVersion = account.SessionVersion,
        });
    }

    /// <summary>Accounts of <paramref name="tenants"/> (null: every account), by tenant and e-mail address.</summary>
    public async Task<IReadOnlyList<StaffAccount>> ListAsync(IReadOnlyCollection<string>? tenants, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return (tenants is null
            ? await connection.QueryAsync<StaffAccount>(StaffSql.ListAll)
            : await connection.QueryAsync<StaffAccount>(StaffSql.ListOfTenants, new { Tenants = tenants.ToArray() })).ToList();
    }

    public async Task<StaffAccount?> GetAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StaffAccount>(StaffSql.SelectAccount, new { Id = id });
    }

    /// <summary>The state every console request is checked against; null when the account no longer exists.</summary>
    public async Task<StaffSession?> SessionAsync(string id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct);
        return await connection.QuerySingleOrDefaultAsync<StaffSession>(StaffSql.SelectSession, new { Id = id });
    }

    /// <summary>Disables (ending its sessions) or enables the account. False when it already was so; then nothing is audited.</summary>
    public Task<bool> SetDisabledAsync(StaffAccount account, bool disabled, string actor, CancellationToken ct = default) =>
        ChangeAsync(account, actor, disabled ? "staff.disabled" : "staff.enabled", (c, t) =>
            c.ExecuteAsync(StaffSql.SetDisabled, new { account.Id, Disabled = disabled }, t), ct);

    /// <summary>Lifts a lockout before it ends by itself. False when the account was not locked.</summary>
    public Task<bool> UnlockAsync(StaffAccount account, string actor, CancellationToken ct = default) =>
        ChangeAsync(account, actor, "staff.unlocked", (c, t) => c.ExecuteAsync(StaffSql.Unlock, new { account.Id }, t), ct);

    /// <summary>
    /// Gives the account a new random one-time password, returned to be shown once; the holder must change it at
    /// the next sign-in, and the account's open sessions end. A lockout is lifted with it.
    /// </summary>
    public async Task<string> ResetPasswordAsync(StaffAccount account, string actor, CancellationToken ct = default)
    {
        var password = PasswordHash.NewPassword();
        var hash = PasswordHash.Create(password);
        await ChangeAsync(account, actor, "staff.password-reset", (c, t) =>
            c.ExecuteAsync(StaffSql.SetPassword, new { account.Id, PasswordHash = hash, MustChangePassword = true }, t), ct);
        return password;
    }

    /// <summary>
    /// The holder's own change: checks <paramref name="current"/>, stores <paramref name="next"/> (the caller has
    /// applied <see cref="PasswordPolicy"/>), clears a pending forced change and ends the account's other sessions.
    /// Returns the new session version for the caller's own session, or null when the current password is wrong.
    /// </summary>
    public async Task<int?> ChangeOwnPasswordAsync(string id, string current, string next, string actor, CancellationToken ct = default)
    {
        string? stored;
        await using (var connection = await db.OpenAsync(ct))
            stored = await connection.ExecuteScalarAsync<string?>(StaffSql.SelectPasswordHash, new { Id = id });
        if (stored is null || !PasswordHash.Verify(current, stored) || await GetAsync(id, ct) is not { } account) return null;
        var hash = PasswordHash.Create(next);
        return await db.InTransactionAsync(async (connection, transaction) =>
        {
            await connection.ExecuteAsync(StaffSql.SetPassword, new { Id = id, PasswordHash = hash, MustChangePassword = false }, transaction);
            await audit.RecordAsync(connection, transaction, actor, TenantOf(account.TenantId), "staff.password-changed", id);
            return (int?)await connection.ExecuteScalarAsync<int>(StaffSql.SelectSessionVersion, new { Id = id }, transaction);
        }, ct);
    }

    Task<bool> ChangeAsync(StaffAccount account, string actor, string action, Func<System.Data.Common.DbConnection, System.Data.Common.DbTransaction, Task<int>> change,
        CancellationToken ct) =>
        db.InTransactionAsync(async (connection, transaction) =>
        {
            if (await change(connection, transaction) == 0) return false;
            await audit.RecordAsync(connection, transaction, actor, TenantOf(account.TenantId), action, account.Id, account.Role);
            return true;
        }, ct);

    /// <summary>Audit rows of accounts for all tenants carry no tenant.</summary>
    static string? TenantOf(string tenant) => tenant == Roles.AllTenants ? null : tenant;

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
        public bool Disabled { get; init; }
        public bool MustChangePassword { get; init; }
        public int SessionVersion { get; init; }
    }
}
