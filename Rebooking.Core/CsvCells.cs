namespace Rebooking;

/// <summary>
/// Every cell of every CSV file the service writes goes through <see cref="Neutralise"/>: a spreadsheet must show
/// what was imported, never run it (OWASP, "CSV injection").
/// </summary>
public static class CsvCells
{
    /// <summary>
    /// The value with <c>'</c> in front when it starts with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab, a carriage
    /// return or a line feed, also after leading spaces (some spreadsheets skip them before reading a formula).
    /// Null becomes empty.
    /// </summary>
    public static string Neutralise(string? value)
    {
        if (string.IsNullOrEmpty(value)) return "";
        var first = value.TrimStart(' ');
        return first.Length > 0 && first[0] is '=' or '+' or '-' or '@' or '\t' or '\r' or '\n' ? "'" + value : value;
    }
}
