-- Account management in the console: an admin disables and enables accounts and resets passwords; a reset
-- (or a new account's one-time password) must be changed at the next sign-in. session_version is stamped
-- into each session cookie: disabling, resetting or changing the password bumps it, so older sessions stop
-- working at their next request.
ALTER TABLE dbo.staff_accounts ADD
    disabled             bit NOT NULL CONSTRAINT df_staff_accounts_disabled DEFAULT 0,
    must_change_password bit NOT NULL CONSTRAINT df_staff_accounts_must_change DEFAULT 0,
    session_version      int NOT NULL CONSTRAINT df_staff_accounts_session_version DEFAULT 1;
GO
CREATE INDEX ix_staff_accounts_tenant ON dbo.staff_accounts (tenant_id, email);
