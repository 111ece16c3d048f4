namespace Rebooking.Outages;

/// <summary>A tenant's outages in a regional view (unresolved ones, or those of one incident) and their figures summed.</summary>
public sealed record TenantFigures(string TenantId, int Outages, OutageStats Stats)
{
    /// <summary>Citizens whose contact is decided (told, or known unreachable), of all affected; 0 to 1.</summary>
    public double Progress => Stats.Affected == 0 ? 1 : (double)(Stats.Contact.Notified + Stats.Contact.Unreachable) / Stats.Affected;
}
