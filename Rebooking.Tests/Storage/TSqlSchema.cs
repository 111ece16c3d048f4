using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Rebooking.Tests.Storage;

/// <summary>Tables and their columns as the SQL Server migrations create them (CREATE TABLE, ALTER TABLE … ADD/DROP).</summary>
internal sealed class TSqlSchema
{
    public Dictionary<string, HashSet<string>> Tables { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static TSqlSchema FromMigrations(IEnumerable<(string Name, string Sql)> scripts)
    {
        var schema = new TSqlSchema();
        foreach (var (name, sql) in scripts)
        {
            var fragment = TSqlChecker.Parse(sql, out var errors);
            Assert.That(errors, Is.Empty, $"{name}: " + string.Join("; ", errors));
            schema.Apply(fragment);
        }
        return schema;
    }

    /// <summary>Tables the code creates itself (the migrator's versions table).</summary>
    public void AddTablesCreatedBy(IEnumerable<string> statements)
    {
        foreach (var sql in statements)
        {
            var fragment = TSqlChecker.Parse(sql, out var errors);
            if (errors.Count == 0) Apply(fragment);
        }
    }

    void Apply(TSqlFragment fragment) => fragment.Accept(new DdlVisitor(this));

    sealed class DdlVisitor(TSqlSchema schema) : TSqlFragmentVisitor
    {
        public override void Visit(CreateTableStatement node)
        {
            var columns = schema.Tables.TryGetValue(node.SchemaObjectName.BaseIdentifier.Value, out var existing)
                ? existing
                : schema.Tables[node.SchemaObjectName.BaseIdentifier.Value] = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var column in node.Definition.ColumnDefinitions) columns.Add(column.ColumnIdentifier.Value);
        }

        public override void Visit(AlterTableAddTableElementStatement node)
        {
            if (!schema.Tables.TryGetValue(node.SchemaObjectName.BaseIdentifier.Value, out var columns))
                Assert.Fail($"ALTER TABLE of unknown table {node.SchemaObjectName.BaseIdentifier.Value}");
            foreach (var column in node.Definition.ColumnDefinitions) columns!.Add(column.ColumnIdentifier.Value);
        }

        public override void Visit(AlterTableDropTableElementStatement node)
        {
            if (!schema.Tables.TryGetValue(node.SchemaObjectName.BaseIdentifier.Value, out var columns)) return;
            foreach (var element in node.AlterTableDropTableElements.Where(e => e.TableElementType == TableElementType.Column))
                columns.Remove(element.Name.Value);
        }

        public override void Visit(DropTableStatement node)
        {
            foreach (var table in node.Objects) schema.Tables.Remove(table.BaseIdentifier.Value);
        }
    }
}
