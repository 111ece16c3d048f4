namespace Rebooking.Outages;

/// <summary>A regional incident: when it was declared, and each tenant's share.</summary>
public sealed record IncidentFigures(Guid Id, DateTimeOffset DeclaredAt, IReadOnlyList<TenantFigures> Tenants);
