using System.Reflection;
using System.Reflection.Emit;
using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Rebooking.Data;

namespace Rebooking.Tests.Storage;

/// <summary>
/// SQL Server cannot run here, so no SQL Server statement ever executes in CI. These tests parse every SQL Server
/// migration and every statement the code can send to SQL Server with ScriptDom's <see cref="TSql160Parser"/>, and
/// resolve every table and column the statements name against the schema the migrations create. The statements
/// are discovered, not listed: every <c>const string</c> and <see cref="DialectSql"/> field (its SQL Server form)
/// and every string literal in the IL of the Core, Api and Worker assemblies that starts like a statement — as
/// the compiler assembled them. SQLite forms of <see cref="DialectSql"/> are the only ones left out.
/// </summary>
public sealed partial class TSqlStatementsTests
{
    static readonly Assembly[] Assemblies = [typeof(Db).Assembly, typeof(Program).Assembly, typeof(Rebooking.Worker.WorkerRegistration).Assembly];

    [Test]
    public void EverySqlServerMigration_Parses_AndCreatesTheSchema()
    {
        var schema = TSqlSchema.FromMigrations(MigrationScripts());
        Assert.That(schema.Tables.Keys, Does.Contain("bookings").And.Contain("notifications").And.Contain("outages"));
        Assert.That(schema.Tables["notifications"], Does.Contain("in_flight"), "columns added by ALTER TABLE count too");
    }

    [Test]
    public void EveryStatementTheCodeCanSendToSqlServer_ParsesAndNamesOnlyExistingTablesAndColumns()
    {
        var schema = TSqlSchema.FromMigrations(MigrationScripts());
        var statements = DiscoverStatements();
        Assert.That(statements, Has.Count.GreaterThan(50), "discovery found the statements");
        schema.AddTablesCreatedBy(statements.Select(s => s.Sql));

        TestContext.Out.WriteLine($"{statements.Count} statements checked against {schema.Tables.Count} tables:");
        foreach (var (source, _) in statements) TestContext.Out.WriteLine("  " + source);
        var problems = statements.SelectMany(s => TSqlChecker.Check(s.Sql, schema).Select(p => $"{s.Source}: {p}")).ToList();

        Assert.That(problems, Is.Empty, string.Join("\n", problems));
    }

    [Test]
    public void ABrokenCopyOfARealStatement_Fails()
    {
        var schema = TSqlSchema.FromMigrations(MigrationScripts());
        var original = Rebooking.Notifications.NotificationSql.MarkInFlight;
        Assert.That(DiscoverStatements().Select(s => s.Sql), Does.Contain(original), "the statement is among those discovered");
        Assert.That(TSqlChecker.Check(original, schema), Is.Empty, "the original is fine");

        var typo = original.Replace("body_hash", "bodyhash", StringComparison.Ordinal);
        Assert.That(typo, Is.Not.EqualTo(original));
        Assert.That(TSqlChecker.Check(typo, schema), Has.Some.Contains("bodyhash"), "a typo in a column name");

        Assert.That(TSqlChecker.Check("SELECT id FROM notificationz WHERE id = @Id", schema), Has.Some.Contains("notificationz"), "a typo in a table name");
        Assert.That(TSqlChecker.Check("SELECT n.nope FROM notifications n", schema), Has.Some.Contains("nope"), "a qualified column");
        Assert.That(TSqlChecker.Check("SELECT id FROM notifications ORDER BY id LIMIT 10", schema), Is.Not.Empty, "LIMIT");
        Assert.That(TSqlChecker.Check("DELETE FROM notifications WHERE id = @Id RETURNING id", schema), Is.Not.Empty, "RETURNING");
        Assert.That(TSqlChecker.Check("INSERT INTO provider_events (provider_ref, status, received_at) VALUES (@R, @S, @Now) ON CONFLICT DO NOTHING", schema),
            Is.Not.Empty, "ON CONFLICT");
        Assert.That(TSqlChecker.Check("SELECT channel || status FROM notifications", schema), Is.Not.Empty, "|| for concatenation");
        Assert.That(TSqlChecker.Check("SELECT id FROM notifications WHERE due_at < datetime('now')", schema), Has.Some.Contains("datetime"), "SQLite date functions");
    }

    /// <summary>Every statement a <c>*Sql</c> class, a dialect pair or a method body holds, with where it was found.</summary>
    internal static List<(string Source, string Sql)> DiscoverStatements()
    {
        var found = new List<(string Source, string Sql)>();
        var sqliteOnly = new HashSet<string>(StringComparer.Ordinal);
        const BindingFlags all = BindingFlags.Static | BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
        foreach (var type in Assemblies.SelectMany(LoadableTypes))
        {
            foreach (var field in type.GetFields(all).Where(f => f.IsStatic))
            {
                if (field.IsLiteral && field.FieldType == typeof(string) && field.GetRawConstantValue() is string text && LooksLikeStatement(text))
                    found.Add(($"{type.FullName}.{field.Name}", text));
                else if (field.FieldType == typeof(DialectSql) && !type.ContainsGenericParameters && field.GetValue(null) is DialectSql dialect)
                {
                    found.Add(($"{type.FullName}.{field.Name} (SQL Server)", dialect.SqlServer));
                    sqliteOnly.Add(dialect.Sqlite);
                }
            }
            foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
                foreach (var literal in StringLiterals(method))
                    if (LooksLikeStatement(literal)) found.Add(($"{type.FullName}.{method.Name} (literal)", literal));
        }
        sqliteOnly.ExceptWith(found.Where(f => f.Source.EndsWith("(SQL Server)", StringComparison.Ordinal)).Select(f => f.Sql));
        var statements = found.Where(f => !sqliteOnly.Contains(f.Sql)).DistinctBy(f => f.Sql).ToList();
        // A piece that the code composes into longer statements (a column list, a subquery, the start of a
        // runtime concatenation) is checked as part of them, not alone.
        return statements.Where(f => !statements.Any(other => other.Sql.Length > f.Sql.Length && other.Sql.Contains(f.Sql.Trim(), StringComparison.Ordinal))).ToList();
    }

    static IEnumerable<Type> LoadableTypes(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); }
    }

    /// <summary>The strings a method loads with <c>ldstr</c>: literals the compiler did not fold into a field.</summary>
    static IEnumerable<string> StringLiterals(MethodBase method)
    {
        byte[]? il;
        try { il = method.GetMethodBody()?.GetILAsByteArray(); }
        catch (Exception e) when (e is InvalidOperationException or BadImageFormatException or TypeLoadException) { yield break; }
        if (il is null) yield break;
        for (var i = 0; i < il.Length; i++)
        {
            var size = OperandSize(il, ref i, out var isLdstr);
            if (isLdstr && i + 4 < il.Length + 1)
            {
                string? value = null;
                try { value = method.Module.ResolveString(BitConverter.ToInt32(il, i + 1)); }
                catch (ArgumentException) { }
                if (value is not null) yield return value;
            }
            i += size;
        }
    }

    static readonly Dictionary<short, OpCode> OpCodes = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>Moves <paramref name="i"/> onto the opcode's last byte and returns its operand's size.</summary>
    static int OperandSize(byte[] il, ref int i, out bool isLdstr)
    {
        short value = il[i];
        if (value == 0xFE && i + 1 < il.Length) value = (short)(0xFE00 | il[++i]);
        isLdstr = false;
        if (!OpCodes.TryGetValue(value, out var op)) return 0;
        isLdstr = op == System.Reflection.Emit.OpCodes.Ldstr;
        return op.OperandType switch
        {
            OperandType.InlineNone => 0,
            OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
            OperandType.InlineVar => 2,
            OperandType.InlineI8 or OperandType.InlineR => 8,
            OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, i + 1),
            _ => 4,
        };
    }

    /// <summary>Our SQL writes its keywords in capitals (house style); lower case is markup, such as Razor's <c>select</c> element.</summary>
    static bool LooksLikeStatement(string text) => StatementStart().IsMatch(text);

    [GeneratedRegex(@"^\s*(SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|UPDATE\s+\w+\s*$|UPDATE\s+\w+\s+SET|DELETE\s+FROM|DELETE\s+\w+|WITH\s+\w+(\s*\([^)]*\))?\s+AS|MERGE|CREATE\s+(TABLE|UNIQUE|INDEX)|ALTER\s+TABLE|IF\s+(NOT\s+)?(EXISTS|OBJECT_ID))\b")]
    private static partial Regex StatementStart();

    static IEnumerable<(string Name, string Sql)> MigrationScripts()
    {
        var directory = Path.Combine(RepositoryRoot(), "db", "sqlserver");
        var files = Directory.GetFiles(directory, "*.sql").Order(StringComparer.Ordinal).ToList();
        Assert.That(files, Is.Not.Empty, directory);
        return files.Select(f => (Path.GetFileName(f), File.ReadAllText(f)));
    }

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Rebooking.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Rebooking.sln not found above " + AppContext.BaseDirectory);
    }
}
