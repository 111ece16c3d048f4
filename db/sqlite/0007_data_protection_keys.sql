-- The ASP.NET Core data-protection key ring shared by every Api host (session cookies, antiforgery
-- tokens). One row per XML element the framework stores: keys ("key-<guid>") and revocations. Rows are
-- only ever added; the framework decides which keys are active, expired or revoked.
CREATE TABLE data_protection_keys (
    id            INTEGER NOT NULL CONSTRAINT pk_data_protection_keys PRIMARY KEY AUTOINCREMENT,
    friendly_name TEXT    NOT NULL,
    xml           TEXT    NOT NULL,
    created_at    TEXT    NOT NULL
);
