using Rebooking.Data;

namespace Rebooking.Access;

static class StaffSql
{
    /// <summary>Inserts unless the e-mail address is taken; the row count (0 or 1) is the answer.</summary>
    public static readonly DialectSql InsertIfAbsent = new(
        Sqlite: """
            INSERT INTO staff_accounts (id, email, name, role, tenant_id, password_hash, failed_attempts, must_change_password, created_at, created_by)
            VALUES (@Id, @Email, @Name, @Role, @TenantId, @PasswordHash, 0, @MustChangePassword, @CreatedAt, @CreatedBy)
            ON CONFLICT (email) DO NOTHING
            """,
        SqlServer: """
            INSERT INTO staff_accounts (id, email, name, role, tenant_id, password_hash, failed_attempts, must_change_password, created_at, created_by)
            SELECT @Id, @Email, @Name, @Role, @TenantId, @PasswordHash, 0, @MustChangePassword, @CreatedAt, @CreatedBy
            WHERE NOT EXISTS (SELECT 1 FROM staff_accounts WITH (UPDLOCK, HOLDLOCK) WHERE email = @Email)
            """);

    public const string FindByEmail = """
        SELECT id AS Id, email AS Email, name AS Name, role AS Role, tenant_id AS TenantId, password_hash AS PasswordHash,
               locked_until AS LockedUntil, disabled AS Disabled, must_change_password AS MustChangePassword,
               session_version AS SessionVersion
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

    const string AccountColumns = """
        SELECT id AS Id, email AS Email, name AS Name, role AS Role, tenant_id AS TenantId, disabled AS Disabled,
               must_change_password AS MustChangePassword, locked_until AS LockedUntil, last_sign_in_at AS LastSignInAt,
               created_at AS CreatedAt
        FROM staff_accounts
        """;

    public const string ListAll = AccountColumns + " ORDER BY tenant_id, email";

    /// <summary>@Tenants is a list (Dapper expands it into named parameters).</summary>
    public const string ListOfTenants = AccountColumns + " WHERE tenant_id IN @Tenants ORDER BY tenant_id, email";

    public const string SelectAccount = AccountColumns + " WHERE id = @Id";

    public const string SelectSession = """
        SELECT disabled AS Disabled, must_change_password AS MustChangePassword, session_version AS SessionVersion
        FROM staff_accounts WHERE id = @Id
        """;

    public const string SelectPasswordHash = "SELECT password_hash FROM staff_accounts WHERE id = @Id AND disabled = 0";

    /// <summary>Disabling ends every session (the version moves on); enabling does not bring old sessions back either.</summary>
    public const string SetDisabled = """
        UPDATE staff_accounts SET disabled = @Disabled, session_version = session_version + 1
        WHERE id = @Id AND disabled <> @Disabled
        """;

    public const string Unlock = "UPDATE staff_accounts SET failed_attempts = 0, locked_until = NULL WHERE id = @Id AND locked_until IS NOT NULL";

    /// <summary>A new password set by an admin (one-time: to be changed at the next sign-in) or by the holder; ends other sessions.</summary>
    public const string SetPassword = """
        UPDATE staff_accounts
        SET password_hash = @PasswordHash, must_change_password = @MustChangePassword, session_version = session_version + 1,
            failed_attempts = 0, locked_until = NULL
        WHERE id = @Id
        """;

    public const string SelectSessionVersion = "SELECT session_version FROM staff_accounts WHERE id = @Id";
}
