using Rebooking.Data;

namespace Rebooking.Access;

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
