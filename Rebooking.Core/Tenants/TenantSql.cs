namespace Rebooking.Tenants;

internal static class TenantSql
{
    // Updates the tenant row; 0 rows means it does not exist yet (the caller then inserts, in the same
    // transaction; the primary key turns a lost race into an error instead of a duplicate).
    public const string UpdateTenant = """
        UPDATE tenants SET name = @Name, time_zone = @TimeZone, default_country_code = @DefaultCountryCode,
               contact_phone = @ContactPhone, contact_email = @ContactEmail, contact_web = @ContactWeb, updated_at = @Now
        WHERE id = @Id
        """;

    public const string InsertTenant = """
        INSERT INTO tenants (id, name, time_zone, default_country_code, contact_phone, contact_email, contact_web, created_at, updated_at)
        VALUES (@Id, @Name, @TimeZone, @DefaultCountryCode, @ContactPhone, @ContactEmail, @ContactWeb, @Now, @Now)
        """;

    // Offices and services missing from a replacement are retired, not deleted: bookings and outages keep
    // pointing at them.
    public const string RetireOffices = "UPDATE offices SET active = 0 WHERE tenant_id = @TenantId";
    public const string UpdateOffice = "UPDATE offices SET name = @Name, address = @Address, active = 1 WHERE tenant_id = @TenantId AND id = @Id";
    public const string InsertOffice = "INSERT INTO offices (tenant_id, id, name, address, active) VALUES (@TenantId, @Id, @Name, @Address, 1)";

    public const string RetireServices = "UPDATE services SET active = 0 WHERE tenant_id = @TenantId";
    public const string UpdateService = "UPDATE services SET name = @Name, duration_minutes = @DurationMinutes, active = 1 WHERE tenant_id = @TenantId AND id = @Id";
    public const string InsertService = "INSERT INTO services (tenant_id, id, name, duration_minutes, active) VALUES (@TenantId, @Id, @Name, @DurationMinutes, 1)";

    public const string SelectTenant = """
        SELECT id AS Id, name AS Name, time_zone AS TimeZone, default_country_code AS DefaultCountryCode,
               contact_phone AS ContactPhone, contact_email AS ContactEmail, contact_web AS ContactWeb
        FROM tenants WHERE id = @Id
        """;

    public const string SelectTenants = """
        SELECT id AS Id, name AS Name, time_zone AS TimeZone, default_country_code AS DefaultCountryCode,
               contact_phone AS ContactPhone, contact_email AS ContactEmail, contact_web AS ContactWeb
        FROM tenants ORDER BY id
        """;

    public const string SelectOffices = "SELECT id AS Id, name AS Name, address AS Address, active AS Active FROM offices WHERE tenant_id = @Id ORDER BY id";
    public const string SelectServices = "SELECT id AS Id, name AS Name, duration_minutes AS DurationMinutes, active AS Active FROM services WHERE tenant_id = @Id ORDER BY id";
    public const string CountTenants = "SELECT COUNT(*) FROM tenants";
}
