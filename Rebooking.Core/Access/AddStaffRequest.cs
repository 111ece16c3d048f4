namespace Rebooking.Access;

/// <summary>A new staff account: from the <c>staff add</c> command or the demo seed.</summary>
public sealed record AddStaffRequest(string? Email, string? Name, string? Role, string? Tenant, string? Password);
