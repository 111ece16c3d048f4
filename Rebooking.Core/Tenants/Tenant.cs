namespace Rebooking.Tenants;

/// <summary>A municipality using the service, with the master data its appointment system delivers.</summary>
public sealed record Tenant(
    string Id,
    string Name,
    string TimeZone,
    string DefaultCountryCode,
    string? ContactPhone,
    string? ContactEmail,
    string? ContactWeb)
{
    public TimeZoneInfo Zone => OffsetTime.Zone(TimeZone);
}

/// <summary>An office (Bürgerbüro, Standesamt ...) of a tenant; retired offices keep their history.</summary>
public sealed record Office(string Id, string Name, string? Address, bool Active);

/// <summary>A service (Dienstleistung) citizens book; retired services keep their history.</summary>
public sealed record Service(string Id, string Name, int DurationMinutes, bool Active);

/// <summary>A tenant with its offices and services.</summary>
public sealed record TenantMasterData(Tenant Tenant, IReadOnlyList<Office> Offices, IReadOnlyList<Service> Services)
{
    public bool HasActiveOffice(string? id) => Offices.Any(o => o.Active && o.Id == id);
    public bool HasActiveService(string? id) => Services.Any(s => s.Active && s.Id == id);

    /// <summary>The office's name, or its id when the master data no longer has it.</summary>
    public string OfficeName(string id) => Offices.FirstOrDefault(o => o.Id == id)?.Name ?? id;

    /// <summary>The service's name, or its id when the master data no longer has it.</summary>
    public string ServiceName(string id) => Services.FirstOrDefault(s => s.Id == id)?.Name ?? id;
}

/// <summary>Tenant slugs: lower-case letters, digits and '-', 2 to 63 characters.</summary>
public static class TenantSlug
{
    public const string Pattern = "^[a-z0-9][a-z0-9-]{1,62}$";
    static readonly System.Text.RegularExpressions.Regex Regex = new(Pattern);
    public static bool IsValid(string? slug) => slug is not null && Regex.IsMatch(slug);
}
