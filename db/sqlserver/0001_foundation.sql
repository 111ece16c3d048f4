-- Tenants, their master data, slots and bookings as delivered by the appointment system, API keys, audit.
-- Instants are UTC datetime2(7).

CREATE TABLE dbo.tenants (
    id                   nvarchar(63)  NOT NULL CONSTRAINT pk_tenants PRIMARY KEY,
    name                 nvarchar(200) NOT NULL,
    time_zone            nvarchar(64)  NOT NULL,
    default_country_code nvarchar(4)   NOT NULL,
    contact_phone        nvarchar(50)  NULL,
    contact_email        nvarchar(254) NULL,
    contact_web          nvarchar(500) NULL,
    created_at           datetime2(7)  NOT NULL,
    updated_at           datetime2(7)  NOT NULL
);

CREATE TABLE dbo.offices (
    tenant_id nvarchar(63)  NOT NULL CONSTRAINT fk_offices_tenant REFERENCES dbo.tenants (id),
    id        nvarchar(64)  NOT NULL,
    name      nvarchar(200) NOT NULL,
    address   nvarchar(300) NULL,
    active    bit           NOT NULL CONSTRAINT df_offices_active DEFAULT 1,
    CONSTRAINT pk_offices PRIMARY KEY (tenant_id, id)
);

CREATE TABLE dbo.services (
    tenant_id        nvarchar(63)  NOT NULL CONSTRAINT fk_services_tenant REFERENCES dbo.tenants (id),
    id               nvarchar(64)  NOT NULL,
    name             nvarchar(200) NOT NULL,
    duration_minutes int           NOT NULL CONSTRAINT ck_services_duration CHECK (duration_minutes > 0),
    active           bit           NOT NULL CONSTRAINT df_services_active DEFAULT 1,
    CONSTRAINT pk_services PRIMARY KEY (tenant_id, id)
);

-- A slot offers `capacity` appointments at one office from start to end; service_id NULL = any service.
-- `booked` counts the active bookings holding a unit of it; it never goes below zero.
CREATE TABLE dbo.slots (
    id                  bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_slots PRIMARY KEY,
    tenant_id           nvarchar(63)     NOT NULL,
    office_id           nvarchar(64)     NOT NULL,
    service_id          nvarchar(64)     NULL,
    start_utc           datetime2(7)     NOT NULL,
    end_utc             datetime2(7)     NOT NULL,
    capacity            int              NOT NULL CONSTRAINT ck_slots_capacity CHECK (capacity >= 0),
    booked              int              NOT NULL CONSTRAINT df_slots_booked DEFAULT 0 CONSTRAINT ck_slots_booked CHECK (booked >= 0),
    reserved_for_outage uniqueidentifier NULL,
    CONSTRAINT fk_slots_office FOREIGN KEY (tenant_id, office_id) REFERENCES dbo.offices (tenant_id, id),
    CONSTRAINT fk_slots_service FOREIGN KEY (tenant_id, service_id) REFERENCES dbo.services (tenant_id, id),
    CONSTRAINT ck_slots_window CHECK (end_utc > start_utc)
);
-- The upsert key is (office, service, start); a NULL service is its own key.
CREATE UNIQUE INDEX ux_slots_office_service_start ON dbo.slots (tenant_id, office_id, service_id, start_utc) WHERE service_id IS NOT NULL;
CREATE UNIQUE INDEX ux_slots_office_any_start ON dbo.slots (tenant_id, office_id, start_utc) WHERE service_id IS NULL;
CREATE INDEX ix_slots_tenant_start ON dbo.slots (tenant_id, start_utc);

CREATE TABLE dbo.bookings (
    id           bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_bookings PRIMARY KEY,
    tenant_id    nvarchar(63)  NOT NULL,
    external_ref nvarchar(100) NOT NULL,
    office_id    nvarchar(64)  NOT NULL,
    service_id   nvarchar(64)  NOT NULL,
    start_utc    datetime2(7)  NOT NULL,
    end_utc      datetime2(7)  NOT NULL,
    name         nvarchar(200) NOT NULL,
    phone        nvarchar(20)  NULL,
    phone_kind   nvarchar(10)  NULL CONSTRAINT ck_bookings_phone_kind CHECK (phone_kind IN ('mobile', 'landline', 'unknown')),
    email        nvarchar(254) NULL,
    language     nvarchar(10)  NOT NULL,
    status       nvarchar(10)  NOT NULL CONSTRAINT df_bookings_status DEFAULT 'booked' CONSTRAINT ck_bookings_status CHECK (status IN ('booked', 'cancelled')),
    origin       nvarchar(10)  NOT NULL CONSTRAINT df_bookings_origin DEFAULT 'import' CONSTRAINT ck_bookings_origin CHECK (origin IN ('import', 'rebooking')),
    slot_id      bigint        NULL CONSTRAINT fk_bookings_slot REFERENCES dbo.slots (id),
    created_at   datetime2(7)  NOT NULL,
    updated_at   datetime2(7)  NOT NULL,
    CONSTRAINT ux_bookings_external_ref UNIQUE (tenant_id, external_ref),
    CONSTRAINT fk_bookings_office FOREIGN KEY (tenant_id, office_id) REFERENCES dbo.offices (tenant_id, id),
    CONSTRAINT fk_bookings_service FOREIGN KEY (tenant_id, service_id) REFERENCES dbo.services (tenant_id, id),
    CONSTRAINT ck_bookings_phone_kind_set CHECK ((phone IS NULL AND phone_kind IS NULL) OR (phone IS NOT NULL AND phone_kind IS NOT NULL))
);
CREATE INDEX ix_bookings_tenant_start ON dbo.bookings (tenant_id, start_utc);
CREATE INDEX ix_bookings_slot ON dbo.bookings (slot_id);

-- Only the SHA-256 of the secret part of a key is stored; tenant_id '*' = every tenant (admins only).
CREATE TABLE dbo.api_keys (
    id           nvarchar(32)  NOT NULL CONSTRAINT pk_api_keys PRIMARY KEY,
    key_hash     varbinary(32) NOT NULL,
    role         nvarchar(16)  NOT NULL CONSTRAINT ck_api_keys_role CHECK (role IN ('admin', 'clerk', 'supervisor')),
    tenant_id    nvarchar(63)  NOT NULL,
    label        nvarchar(200) NOT NULL,
    created_at   datetime2(7)  NOT NULL,
    created_by   nvarchar(200) NULL,
    last_used_at datetime2(7)  NULL,
    revoked_at   datetime2(7)  NULL,
    CONSTRAINT ck_api_keys_all_tenants CHECK (tenant_id <> '*' OR role = 'admin')
);

-- Who did what, and when: staff actions on tenants, keys and outages. No personal data of citizens.
CREATE TABLE dbo.audit_log (
    id        bigint IDENTITY(1, 1) NOT NULL CONSTRAINT pk_audit_log PRIMARY KEY,
    at_utc    datetime2(7)   NOT NULL,
    actor     nvarchar(200)  NOT NULL,
    tenant_id nvarchar(63)   NULL,
    action    nvarchar(64)   NOT NULL,
    subject   nvarchar(200)  NULL,
    detail    nvarchar(max)  NULL
);
CREATE INDEX ix_audit_log_tenant_at ON dbo.audit_log (tenant_id, at_utc);
