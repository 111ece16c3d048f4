-- Account management in the console: an admin disables and enables accounts and resets passwords; a reset
-- (or a new account's one-time password) must be changed at the next sign-in. session_version is stamped
-- into each session cookie: disabling, resetting or changing the password bumps it, so older sessions stop
-- working at their next request.
ALTER TABLE staff_accounts ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0 CONSTRAINT ck_staff_accounts_disabled CHECK (disabled IN (0, 1));
ALTER TABLE staff_accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CONSTRAINT ck_staff_accounts_must_change CHECK (must_change_password IN (0, 1));
ALTER TABLE staff_accounts ADD COLUMN session_version INTEGER NOT NULL DEFAULT 1;
CREATE INDEX ix_staff_accounts_tenant ON staff_accounts (tenant_id, email);
