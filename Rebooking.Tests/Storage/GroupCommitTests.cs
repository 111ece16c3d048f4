using System.Data.Common;
using Dapper;
using Rebooking.Data;
using Rebooking.Tests.Support;

namespace Rebooking.Tests.Storage;

/// <summary>Group commit on every configured provider (SQL Server is skipped when not configured).</summary>
[TestFixtureSource(typeof(TestDatabase), nameof(TestDatabase.Providers))]
public sealed class GroupCommitTests(DatabaseProvider provider)
{
    TestDatabase? created;
    Db db = null!;

    [SetUp]
    public async Task CreateDatabase()
    {
        created = await TestDatabase.CreateAsync(provider);
        db = created.Db();
        await using var connection = await db.OpenAsync();
        await connection.ExecuteAsync("CREATE TABLE group_commit_probe (n INT NOT NULL PRIMARY KEY)");
    }

    [TearDown]
    public async Task DropDatabase()
    {
        if (created is not null) await created.DisposeAsync();
        created = null;
    }

    static Func<DbConnection, DbTransaction, Task<int>> Insert(int n) =>
        (connection, transaction) => connection.ExecuteAsync("INSERT INTO group_commit_probe (n) VALUES (@N)", new { N = n }, transaction);

    async Task<int[]> Stored()
    {
        await using var connection = await db.OpenAsync();
        return (await connection.QueryAsync<int>("SELECT n FROM group_commit_probe ORDER BY n")).ToArray();
    }

    [Test]
    public async Task WritesStartedTogether_ShareTransactions_AndEachIsStoredWhenItsCallerHearsSo()
    {
        var commit = new GroupCommit(db);
        var transactions = new HashSet<DbTransaction>();
        var written = await Task.WhenAll(Enumerable.Range(1, 50).Select(n => commit.InTransactionAsync(async (connection, transaction) =>
        {
            lock (transactions) transactions.Add(transaction);
            return await Insert(n)(connection, transaction);
        })));

        Assert.That(written, Is.All.EqualTo(1));
        Assert.That(await Stored(), Is.EqualTo(Enumerable.Range(1, 50).ToArray()));
        Assert.That(transactions, Has.Count.LessThan(50), "writes waiting together were committed together");
    }

    [Test]
    public async Task AWriteThatFails_RollsBackItsWholeGroup_EveryCallerInItHearsSo_AndTheGroupsBeforeAndAfterAreKept()
    {
        var commit = new GroupCommit(db);
        var hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // The first group holds its transaction open until the next group has gathered behind it.
        var first = commit.InTransactionAsync(async (connection, transaction) =>
        {
            running.SetResult();
            await hold.Task;
            return await Insert(1)(connection, transaction);
        });
        await running.Task;
        var second = new[]
        {
            commit.InTransactionAsync(Insert(2)),
            commit.InTransactionAsync(Insert(1)), // the primary key refuses it: the group it is in is rolled back
            commit.InTransactionAsync(Insert(3)),
        };
        hold.SetResult();

        Assert.That(await first, Is.EqualTo(1));
        foreach (var write in second) Assert.That(async () => await write, Throws.InstanceOf<DbException>());
        Assert.That(await commit.InTransactionAsync(Insert(4)), Is.EqualTo(1), "the next group is not affected");
        Assert.That(await Stored(), Is.EqualTo(new[] { 1, 4 }));
    }
}
