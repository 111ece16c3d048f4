using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Rebooking.Tests.Storage;

/// <summary>
/// Checks one statement as SQL Server would see it: it must parse with <see cref="TSql160Parser"/>, use no SQLite-only
/// construct that T-SQL happens to parse (<c>||</c>, SQLite's date and string functions), and name only tables and
/// columns of <see cref="TSqlSchema"/>. Dapper's list parameters (<c>IN @Ids</c>) are expanded first, as Dapper does.
/// </summary>
internal static partial class TSqlChecker
{
    /// <summary>Functions SQLite has and SQL Server does not.</summary>
    static readonly HashSet<string> SqliteOnlyFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        "datetime", "date", "time", "julianday", "strftime", "unixepoch", "ifnull", "substr", "instr", "group_concat",
        "printf", "total", "changes", "last_insert_rowid", "random", "randomblob", "typeof", "json_extract", "json_group_array",
    };

    /// <summary>DATEADD/DATEDIFF/DATEPART's first argument reaches the tree as a column reference.</summary>
    static readonly HashSet<string> DateParts = new(StringComparer.OrdinalIgnoreCase)
    {
        "year", "yy", "yyyy", "quarter", "qq", "q", "month", "mm", "m", "dayofyear", "dy", "y", "day", "dd", "d", "week", "wk", "ww",
        "weekday", "dw", "hour", "hh", "minute", "mi", "n", "second", "ss", "s", "millisecond", "ms", "microsecond", "mcs", "nanosecond", "ns",
        "iso_week", "isowk", "isoww", "tzoffset", "tz",
    };

    public static TSqlFragment Parse(string sql, out List<string> errors)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        var fragment = parser.Parse(new StringReader(sql), out var parseErrors);
        errors = parseErrors.Select(e => $"line {e.Line}: {e.Message}").ToList();
        return fragment;
    }

    public static List<string> Check(string sql, TSqlSchema schema)
    {
        var expanded = ListParameter().Replace(sql, m => $"IN (@{m.Groups[1].Value}1, @{m.Groups[1].Value}2)");
        var fragment = Parse(expanded, out var problems);
        if (problems.Count > 0) return problems;
        // Newer T-SQL grammars read || as concatenation (or two bitwise ors); SQL Server 2019 and older refuse it.
        var tokens = fragment.ScriptTokenStream;
        if (tokens.Any(t => t.Text == "||") || tokens.Zip(tokens.Skip(1)).Any(p => p.First.Text == "|" && p.Second.Text == "|"))
            problems.Add("'||' is SQLite's concatenation; T-SQL uses + or CONCAT");

        var names = new NameCollector();
        fragment.Accept(names);
        foreach (var function in names.Functions.Where(SqliteOnlyFunctions.Contains).Distinct())
            problems.Add($"function {function}() is SQLite's, not SQL Server's");

        var cteNames = new HashSet<string>(names.CteNames, StringComparer.OrdinalIgnoreCase);
        // UPDATE s … FROM slots s: the target names an alias, not a table.
        var aliases = new HashSet<string>(names.Tables.Where(t => t.Alias is not null).Select(t => t.Alias!), StringComparer.OrdinalIgnoreCase);
        var aliasTables = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var realTables = new List<string>();
        foreach (var (table, alias, schemaName) in names.Tables)
        {
            if (cteNames.Contains(table)) { Map(alias ?? table, null); continue; }
            if (alias is null && schemaName is null && aliases.Contains(table)) continue;
            if (schemaName is not null && (schemaName.Equals("sys", StringComparison.OrdinalIgnoreCase) || schemaName.Equals("INFORMATION_SCHEMA", StringComparison.OrdinalIgnoreCase))) continue;
            if (table.StartsWith('#')) continue;
            if (!schema.Tables.ContainsKey(table)) { problems.Add($"table {table} does not exist"); continue; }
            realTables.Add(table);
            Map(alias ?? table, table);
            if (alias is not null) Map(table, table);
        }
        foreach (var alias in names.DerivedAliases) Map(alias, null);

        var known = new HashSet<string>(realTables.SelectMany(t => schema.Tables[t]), StringComparer.OrdinalIgnoreCase);
        known.UnionWith(names.DefinedNames);
        foreach (var parts in names.Columns)
        {
            var column = parts[^1];
            if (parts.Count == 1)
            {
                if (!known.Contains(column) && !DateParts.Contains(column))
                    problems.Add($"column {column} is in none of {string.Join(", ", realTables.Distinct())}");
                continue;
            }
            var qualifier = parts[^2];
            if (qualifier.Equals("inserted", StringComparison.OrdinalIgnoreCase) || qualifier.Equals("deleted", StringComparison.OrdinalIgnoreCase)
                || (aliasTables.TryGetValue(qualifier, out var candidates) && candidates.Contains(null!)))
            {
                if (!known.Contains(column)) problems.Add($"column {qualifier}.{column} is unknown");
            }
            else if (aliasTables.TryGetValue(qualifier, out var tables))
            {
                if (!tables.Any(t => schema.Tables[t].Contains(column))) problems.Add($"column {qualifier}.{column} is not in {string.Join(" or ", tables)}");
            }
            else problems.Add($"{qualifier}.{column}: no table or alias {qualifier}");
        }
        return problems;

        void Map(string alias, string? table)
        {
            if (!aliasTables.TryGetValue(alias, out var list)) aliasTables[alias] = list = [];
            list.Add(table!);
        }
    }

    [GeneratedRegex(@"\bIN\s+@(\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex ListParameter();

    /// <summary>Collects what a statement names: tables with aliases, CTEs, derived tables, columns, defined aliases, functions.</summary>
    sealed class NameCollector : TSqlFragmentVisitor
    {
        public List<(string Table, string? Alias, string? Schema)> Tables { get; } = [];
        public List<string> CteNames { get; } = [];
        public List<string> DerivedAliases { get; } = [];
        public List<string> DefinedNames { get; } = [];
        public List<IReadOnlyList<string>> Columns { get; } = [];
        public List<string> Functions { get; } = [];

        public override void Visit(NamedTableReference node) =>
            Tables.Add((node.SchemaObject.BaseIdentifier.Value, node.Alias?.Value, node.SchemaObject.SchemaIdentifier?.Value));

        public override void Visit(CommonTableExpression node)
        {
            CteNames.Add(node.ExpressionName.Value);
            DefinedNames.AddRange(node.Columns.Select(c => c.Value));
        }

        public override void Visit(QueryDerivedTable node)
        {
            if (node.Alias is not null) DerivedAliases.Add(node.Alias.Value);
            DefinedNames.AddRange(node.Columns.Select(c => c.Value));
        }

        public override void Visit(InlineDerivedTable node)
        {
            if (node.Alias is not null) DerivedAliases.Add(node.Alias.Value);
            DefinedNames.AddRange(node.Columns.Select(c => c.Value));
        }

        public override void Visit(SelectScalarExpression node)
        {
            if (node.ColumnName?.Value is { } alias) DefinedNames.Add(alias);
        }

        public override void Visit(ColumnReferenceExpression node)
        {
            if (node.ColumnType != ColumnType.Regular || node.MultiPartIdentifier is null) return;
            Columns.Add(node.MultiPartIdentifier.Identifiers.Select(i => i.Value).ToList());
        }

        public override void Visit(FunctionCall node)
        {
            if (node.CallTarget is null) Functions.Add(node.FunctionName.Value);
        }
    }
}
