-- The ASP.NET Core data-protection key ring shared by every Api host (session cookies, antiforgery
-- tokens). One row per XML element the framework stores: keys ("key-<guid>") and revocations. Rows are
-- only ever added; the framework decides which keys are active, expired or revoked.
CREATE TABLE dbo.data_protection_keys (
    id            int IDENTITY(1,1) NOT NULL CONSTRAINT pk_data_protection_keys PRIMARY KEY,
    friendly_name nvarchar(200)     NOT NULL,
    xml           nvarchar(max)     NOT NULL,
    created_at    datetime2(7)      NOT NULL
);
