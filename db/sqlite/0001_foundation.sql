-- Tenants, their master data, slots and bookings as delivered by the appointment system, API keys, audit.
-- Instants are UTC text 'yyyy-MM-ddTHH:mm:ss.fffffffZ' (fixed width: text order is time order).

CREATE TABLE tenants (
    id                   TEXT NOT NULL CONSTRAINT pk_tenants PRIMARY KEY,
    name                 TEXT NOT NULL,
    time_zone            TEXT NOT NULL,
    default_country_code TEXT NOT NULL,
    contact_phone        TEXT NULL,
    contact_email        TEXT NULL,
    contact_web          TEXT NULL,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL
);

CREATE TABLE offices (
    tenant_id TEXT    NOT NULL CONSTRAINT fk_offices_tenant REFERENCES tenants (id),
    id        TEXT    NOT NULL,
    name      TEXT    NOT NULL,
    address   TEXT    NULL,
    active    INTEGER NOT NULL DEFAULT 1 CONSTRAINT ck_offices_active CHECK (active IN (0, 1)),
    CONSTRAINT pk_offices PRIMARY KEY (tenant_id, id)
);

CREATE TABLE services (
    tenant_id        TEXT    NOT NULL CONSTRAINT fk_services_tenant REFERENCES tenants (id),
    id               TEXT    NOT NULL,
    name             TEXT    NOT NULL,
    duration_minutes INTEGER NOT NULL CONSTRAINT ck_services_duration CHECK (duration_minutes > 0),
    active           INTEGER NOT NULL DEFAULT 1 CONSTRAINT ck_services_active CHECK (active IN (0, 1)),
    CONSTRAINT pk_services PRIMARY KEY (tenant_id, id)
);

-- A slot offers `capacity` appointments at one office from start to end; service_id NULL = any service.
-- `booked` counts the active bookings holding a unit of it; it never goes below zero.
CREATE TABLE slots (
    id                  INTEGER NOT NULL CONSTRAINT pk_slots PRIMARY KEY,
    tenant_id           TEXT    NOT NULL,
    office_id           TEXT    NOT NULL,
    service_id          TEXT    NULL,
    start_utc           TEXT    NOT NULL,
    end_utc             TEXT    NOT NULL,
    capacity            INTEGER NOT NULL CONSTRAINT ck_slots_capacity CHECK (capacity >= 0),
    booked              INTEGER NOT NULL DEFAULT 0 CONSTRAINT ck_slots_booked CHECK (booked >= 0),
    reserved_for_outage TEXT    NULL,
    CONSTRAINT fk_slots_office FOREIGN KEY (tenant_id, office_id) REFERENCES offices (tenant_id, id),
    CONSTRAINT fk_slots_service FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id),
    CONSTRAINT ck_slots_window CHECK (end_utc > start_utc)
);
-- The upsert key is (office, service, start); a NULL service is its own key.
CREATE UNIQUE INDEX ux_slots_office_service_start ON slots (tenant_id, office_id, service_id, start_utc) WHERE service_id IS NOT NULL;
CREATE UNIQUE INDEX ux_slots_office_any_start ON slots (tenant_id, office_id, start_utc) WHERE service_id IS NULL;
CREATE INDEX ix_slots_tenant_start ON slots (tenant_id, start_utc);

CREATE TABLE bookings (
    id           INTEGER NOT NULL CONSTRAINT pk_bookings PRIMARY KEY,
    tenant_id    TEXT    NOT NULL,
    external_ref TEXT    NOT NULL,
    office_id    TEXT    NOT NULL,
    service_id   TEXT    NOT NULL,
    start_utc    TEXT    NOT NULL,
    end_utc      TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    phone        TEXT    NULL,
    phone_kind   TEXT    NULL CONSTRAINT ck_bookings_phone_kind CHECK (phone_kind IN ('mobile', 'landline', 'unknown')),
    email        TEXT    NULL,
    language     TEXT    NOT NULL,
    status       TEXT    NOT NULL DEFAULT 'booked' CONSTRAINT ck_bookings_status CHECK (status IN ('booked', 'cancelled')),
    origin       TEXT    NOT NULL DEFAULT 'import' CONSTRAINT ck_bookings_origin CHECK (origin IN ('import', 'rebooking')),
    slot_id      INTEGER NULL CONSTRAINT fk_bookings_slot REFERENCES slots (id),
    created_at   TEXT    NOT NULL,
    updated_at   TEXT    NOT NULL,
    CONSTRAINT ux_bookings_external_ref UNIQUE (tenant_id, external_ref),
    CONSTRAINT fk_bookings_office FOREIGN KEY (tenant_id, office_id) REFERENCES offices (tenant_id, id),
    CONSTRAINT fk_bookings_service FOREIGN KEY (tenant_id, service_id) REFERENCES services (tenant_id, id),
    CONSTRAINT ck_bookings_phone_kind_set CHECK ((phone IS NULL) = (phone_kind IS NULL))
);
CREATE INDEX ix_bookings_tenant_start ON bookings (tenant_id, start_utc);
CREATE INDEX ix_bookings_slot ON bookings (slot_id);

-- Only the SHA-256 of the secret part of a key is stored; tenant_id '*' = every tenant (admins only).
CREATE TABLE api_keys (
    id           TEXT NOT NULL CONSTRAINT pk_api_keys PRIMARY KEY,
    key_hash     BLOB NOT NULL,
    role         TEXT NOT NULL CONSTRAINT ck_api_keys_role CHECK (role IN ('admin', 'clerk', 'supervisor')),
    tenant_id    TEXT NOT NULL,
    label        TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NULL,
    last_used_at TEXT NULL,
    revoked_at   TEXT NULL,
    CONSTRAINT ck_api_keys_all_tenants CHECK (tenant_id <> '*' OR role = 'admin')
);

-- Who did what, and when: staff actions on tenants, keys and outages. No personal data of citizens.
CREATE TABLE audit_log (
    id        INTEGER NOT NULL CONSTRAINT pk_audit_log PRIMARY KEY,
    at_utc    TEXT    NOT NULL,
    actor     TEXT    NOT NULL,
    tenant_id TEXT    NULL,
    action    TEXT    NOT NULL,
    subject   TEXT    NULL,
    detail    TEXT    NULL
);
CREATE INDEX ix_audit_log_tenant_at ON audit_log (tenant_id, at_utc);
