using System.Reflection;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Rebooking.Data;
using Rebooking.Integration;

namespace Rebooking.Tests.Integration;

/// <summary>
/// The feature's T-SQL parses (SQL Server 2022 grammar) even where no SQL Server is configured to run it: the
/// migration, and every statement the integration classes send to SQL Server.
/// </summary>
public sealed class IntegrationSqlServerSyntaxTests
{
    static IEnumerable<TestCaseData> Statements()
    {
        yield return new TestCaseData(Migrator.Load(DatabaseProvider.SqlServer).Single(m => m.Name == "integration").Script).SetName("{m}(migration 0011)");
        foreach (var type in typeof(ChangeFeed).Assembly.GetTypes().Where(t => t.Namespace == typeof(ChangeFeed).Namespace))
            foreach (var field in type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                var sql = field.IsLiteral && field.FieldType == typeof(string) ? (string?)field.GetRawConstantValue()
                    : field.FieldType == typeof(DialectSql) ? ((DialectSql)field.GetValue(null)!).SqlServer : null;
                // Only whole statements: fragments (column lists, conditions) are checked inside the statements using them.
                if (field.Name == "Into") continue; // the shared head of two INSERTs
                if (sql is not null && System.Text.RegularExpressions.Regex.IsMatch(sql.TrimStart(), @"^(SELECT|INSERT|UPDATE|DELETE|WITH)\b", System.Text.RegularExpressions.RegexOptions.IgnoreCase))
                    yield return new TestCaseData(sql).SetName($"{{m}}({type.Name}.{field.Name})");
            }
    }

    [TestCaseSource(nameof(Statements))]
    public void ParsesAsTSql(string sql)
    {
        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        parser.Parse(new StringReader(sql), out var errors);
        Assert.That(errors.Select(e => $"line {e.Line}: {e.Message}"), Is.Empty, sql);
    }
}
