-- Staff who sign in to the web console. Passwords are PBKDF2-SHA256 hashes ("pbkdf2-sha256$iterations$salt$hash");
-- failed_attempts and locked_until implement the per-account lockout.
CREATE TABLE dbo.staff_accounts (
    id              nvarchar(36)  NOT NULL CONSTRAINT pk_staff_accounts PRIMARY KEY,
    email           nvarchar(254) NOT NULL CONSTRAINT ux_staff_accounts_email UNIQUE,
    name            nvarchar(200) NOT NULL,
    role            nvarchar(16)  NOT NULL CONSTRAINT ck_staff_accounts_role CHECK (role IN ('admin', 'clerk', 'supervisor')),
    tenant_id       nvarchar(63)  NOT NULL,
    password_hash   nvarchar(200) NOT NULL,
    failed_attempts int           NOT NULL CONSTRAINT df_staff_accounts_failed DEFAULT 0,
    locked_until    datetime2(7)  NULL,
    last_sign_in_at datetime2(7)  NULL,
    created_at      datetime2(7)  NOT NULL,
    created_by      nvarchar(200) NOT NULL,
    CONSTRAINT ck_staff_accounts_all_tenants CHECK (tenant_id <> '*' OR role = 'admin')
);
