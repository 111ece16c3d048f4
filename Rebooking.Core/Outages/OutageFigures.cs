namespace Rebooking.Outages;

/// <summary>
/// The contract's figures from counted rows: which contact state counts as notified, delivered, unreachable or
/// pending, and which outcome as open, rebooked, declined or reinstated. Totals are sums of the per-office figures
/// of one statement, so they always agree with <c>byOffice</c>, and every row is in exactly one contact state and
/// one outcome, so <c>affected = notified + unreachable + pending = open + rebooked + declined + reinstated</c>.
/// </summary>
internal static class OutageFigures
{
    public static OutageStats Sum(IEnumerable<FigureRow> rows, bool processingComplete)
    {
        int affected = 0, notified = 0, delivered = 0, unreachable = 0, pending = 0, open = 0, rebooked = 0, declined = 0, reinstated = 0;
        var byOffice = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var n = row.Tally;
            affected += n;
            byOffice[row.OfficeId] = byOffice.GetValueOrDefault(row.OfficeId) + n;
            switch (row.Contact)
            {
                case "delivered": notified += n; delivered += n; break;
                case "notified": notified += n; break;
                case "unreachable": unreachable += n; break;
                case "pending": pending += n; break;
            }
            switch (row.Outcome)
            {
                case "open": open += n; break;
                case "rebooked": rebooked += n; break;
                case "declined": declined += n; break;
                case "reinstated": reinstated += n; break;
            }
        }
        return new OutageStats(
            affected, processingComplete,
            new ContactStats(notified, delivered, unreachable, pending),
            new OutcomeStats(open, rebooked, declined, reinstated),
            byOffice.Select(o => new OfficeCount(o.Key, o.Value)).ToList());
    }
}
