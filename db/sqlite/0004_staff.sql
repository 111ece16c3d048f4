-- Staff who sign in to the web console. Passwords are PBKDF2-SHA256 hashes ("pbkdf2-sha256$iterations$salt$hash");
-- failed_attempts and locked_until implement the per-account lockout.
CREATE TABLE staff_accounts (
    id              TEXT    NOT NULL CONSTRAINT pk_staff_accounts PRIMARY KEY,
    email           TEXT    NOT NULL CONSTRAINT ux_staff_accounts_email UNIQUE,
    name            TEXT    NOT NULL,
    role            TEXT    NOT NULL CONSTRAINT ck_staff_accounts_role CHECK (role IN ('admin', 'clerk', 'supervisor')),
    tenant_id       TEXT    NOT NULL,
    password_hash   TEXT    NOT NULL,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until    TEXT    NULL,
    last_sign_in_at TEXT    NULL,
    created_at      TEXT    NOT NULL,
    created_by      TEXT    NOT NULL,
    CONSTRAINT ck_staff_accounts_all_tenants CHECK (tenant_id <> '*' OR role = 'admin')
);
