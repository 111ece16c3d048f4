using Rebooking.Outages;
using Rebooking.Tenants;

namespace Rebooking.Api.Dashboard;

/// <summary>An outage in a list, with its figures.</summary>
public sealed record OutageRow(Outage Outage, OutageStats Stats);

/// <summary>A tenant's console: its figures summed over all outages, and the outages newest first.</summary>
public sealed record TenantDashboard(Tenant Tenant, OutageStats Totals, IReadOnlyList<OutageRow> Outages);

/// <summary>One line of the regional overview or of an incident: a municipality and its figures.</summary>
public sealed record TenantOverviewRow(Tenant Tenant, TenantFigures Figures);

/// <summary>
/// The regional overview: municipalities with an unresolved outage (sorted by name or by most unreachable
/// citizens first), how many visible municipalities have none, and the regional incidents still running.
/// </summary>
public sealed record OverviewModel(IReadOnlyList<TenantOverviewRow> Active, int Quiet, string Sort, IReadOnlyList<(Guid Id, DateTimeOffset CreatedAt)> Incidents)
{
    public const string SortName = "name";
    public const string SortUnreachable = "unreachable";
}

/// <summary>A regional incident's page: the sum over its municipalities and one line for each.</summary>
public sealed record IncidentModel(IncidentFigures Incident, IReadOnlyList<TenantOverviewRow> Rows, OutageStats Sum);

/// <summary>The live part of an outage's page: figures and the chart over time.</summary>
public sealed record OutageLiveModel(Outage Outage, TenantMasterData Tenant, OutageStats Stats, IReadOnlyList<TimelinePoint> Timeline, int CallListCount, DateTimeOffset Now)
{
    public TimeZoneInfo Zone => Tenant.Tenant.Zone;

    /// <summary>Refresh quickly while work is under way, slowly afterwards (rebookings still come in).</summary>
    public int RefreshMilliseconds => !Stats.ProcessingComplete || Stats.Contact.Pending > 0 ? 2000 : 15000;
}
