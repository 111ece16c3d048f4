using System.Security.Cryptography;
using System.Text;
using Dapper;
using FluentValidation;
using Microsoft.Extensions.Options;
using Rebooking.Data;
using Rebooking.Tenants;

namespace Rebooking.Access;

/// <summary><c>Staff:*</c>: sign-in rules for the web console.</summary>
public sealed class StaffOptions
{
    public const string Section = "Staff";

    /// <summary>Failed sign-ins in a row after which the account is locked.</summary>
    public int MaxFailedAttempts { get; set; } = 5;

    /// <summary>How long a locked account stays locked.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a console session lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}

/// <summary>A new staff account: from the <c>staff add</c> command or the demo seed.</summary>
public sealed record AddStaffRequest(string? Email, string? Name, string? Role, string? Tenant, string? Password);

public sealed class AddStaffRequestValidator : AbstractValidator<AddStaffRequest>
{
    public const int MinPasswordLength = 12;

    public AddStaffRequestValidator()
    {
        RuleFor(r => r.Email).NotEmpty().MaximumLength(254).EmailAddress();
        RuleFor(r => r.Name).NotEmpty().MaximumLength(200);
        RuleFor(r => r.Role).NotEmpty().Must(Roles.IsKnown).WithMessage("'role' must be admin, clerk or supervisor.");
        RuleFor(r => r.Tenant).NotEmpty()
            .Must(t => t == Roles.AllTenants || TenantSlug.IsValid(t)).WithMessage("'tenant' must be a tenant slug or '*'.");
        RuleFor(r => r.Tenant).Must((r, t) => t != Roles.AllTenants || r.Role == Roles.Admin)
            .WithMessage("Only admins may act for all tenants ('*').");
        // NIST SP 800-63B: length, not composition rules.
        RuleFor(r => r.Password).NotEmpty().MinimumLength(MinPasswordLength).MaximumLength(256);
    }
}

/// <summary>A staff member who signed in.</summary>
public sealed class StaffMember
{
    public string Id { get; init; } = "";
    public string Email { get; init; } = "";
    public string Name { get; init; } = "";
    public string Role { get; init; } = "";
    public string TenantId { get; init; } = "";
}

public enum SignInResult { Success, WrongCredentials, LockedOut }

/// <summary>
/// PBKDF2-HMAC-SHA256 with a 16-byte salt and 600,000 iterations (OWASP Password Storage Cheat Sheet, 2023).
/// The iteration count is stored with each hash, so raising it later leaves old hashes verifiable.
/// </summary>
public static class PasswordHash
{
    public const int Iterations = 600_000;
    const string Scheme = "pbkdf2-sha256";

    public static string Create(string password, int iterations = Iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, 32);
        return $"{Scheme}${iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    /// <summary>Constant-time comparison; false for anything that is not a hash this class wrote.</summary>
    public static bool Verify(string password, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme || !int.TryParse(parts[1], out var iterations) || iterations < 1) return false;
        try
        {
            var salt = Convert.FromBase64String(parts[2]);
            var expected = Convert.FromBase64String(parts[3]);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>A password for generated accounts: 18 random bytes, base64url (24 characters).</summary>
    public static string NewPassword() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(18));

    /// <summary>Spent on unknown e-mail addresses, so the answer takes as long as for a real account.</summary>
    internal static readonly string Decoy = Create("decoy-password-never-matches");
}

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

static class StaffSql
{
    /// <summary>Inserts unless the e-mail address is taken; the row count (0 or 1) is the answer.</summary>
    public static readonly DialectSql InsertIfAbsent = new(
        Sqlite: """
            INSERT INTO staff_accounts (id, email, name, role, tenant_id, password_hash, failed_attempts, created_at, created_by)
            VALUES (@Id, @Email, @Name, @Role, @TenantId, @PasswordHash, 0, @CreatedAt, @CreatedBy)
            ON CONFLICT (email) DO NOTHING
            """,
        SqlServer: """
            INSERT INTO staff_accounts (id, email, name, role, tenant_id, password_hash, failed_attempts, created_at, created_by)
            SELECT @Id, @Email, @Name, @Role, @TenantId, @PasswordHash, 0, @CreatedAt, @CreatedBy
            WHERE NOT EXISTS (SELECT 1 FROM staff_accounts WITH (UPDLOCK, HOLDLOCK) WHERE email = @Email)
            """);

    public const string FindByEmail = """
        SELECT id AS Id, email AS Email, name AS Name, role AS Role, tenant_id AS TenantId, password_hash AS PasswordHash,
               locked_until AS LockedUntil
        FROM staff_accounts WHERE email = @Email
        """;

    /// <summary>Counts a failure; the failure that reaches the limit sets the lock and restarts the count.</summary>
    public const string RecordFailure = """
        UPDATE staff_accounts
        SET failed_attempts = CASE WHEN failed_attempts + 1 >= @MaxFailedAttempts THEN 0 ELSE failed_attempts + 1 END,
            locked_until    = CASE WHEN failed_attempts + 1 >= @MaxFailedAttempts THEN @LockedUntil ELSE locked_until END
        WHERE id = @Id AND (locked_until IS NULL OR locked_until <= @Now)
        """;

    public const string IsLocked = "SELECT COUNT(*) FROM staff_accounts WHERE id = @Id AND locked_until > @Now";

    public const string RecordSuccess = """
        UPDATE staff_accounts SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = @Now WHERE id = @Id
        """;
}
