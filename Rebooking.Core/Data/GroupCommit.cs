using System.Data.Common;

namespace Rebooking.Data;

/// <summary>
/// Group commit: writes that callers start at about the same time run together in one transaction of
/// <see cref="Db.InTransactionAsync{T}"/>, so N concurrent callers take one turn at SQLite's single writer
/// instead of N. A caller's task completes only after the transaction holding its write has committed, as
/// with a transaction of its own; if that transaction fails, every write of the group is rolled back and
/// every caller in it gets the exception. So a caller's work writes only rows it owns (guarded in its WHERE
/// clause, as everywhere here) and does not throw for an expected outcome, which would undo the others' too.
/// </summary>
/// <remarks>
/// Nothing waits to fill a group: the first write starts a transaction at once, and what arrives while it
/// runs goes into the next one. The size of a group is therefore bounded by the callers (the dispatcher's
/// concurrency), and an idle caller waits no longer than for a transaction of its own.
/// </remarks>
public sealed class GroupCommit(Db db)
{
    readonly Lock sync = new();
    List<IWrite> waiting = [];
    bool flushing;

    /// <summary>
    /// Runs <paramref name="work"/> in the next group's transaction. Returns its result once committed;
    /// throws what the group's transaction threw (a <see cref="DbException"/>, or a
    /// <see cref="TimeoutException"/> when SQLite gave no turn to write within 30 s).
    /// </summary>
    public Task<T> InTransactionAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work)
    {
        var write = new Write<T>(work);
        bool start;
        lock (sync)
        {
            waiting.Add(write);
            start = !flushing;
            flushing = true;
        }
        if (start) _ = Task.Run(FlushAsync);
        return write.Done;
    }

    /// <summary>Commits the waiting writes group by group until none is left. Never throws: each group's failure goes to its callers.</summary>
    async Task FlushAsync()
    {
        while (true)
        {
            List<IWrite> group;
            lock (sync)
            {
                if (waiting.Count == 0)
                {
                    flushing = false;
                    return;
                }
                group = waiting;
                waiting = [];
            }
            try
            {
                // Work that started is committed even while the process stops: callers use this for what a provider already answered.
                await db.InTransactionAsync(async (connection, transaction) =>
                {
                    foreach (var write in group) await write.RunAsync(connection, transaction);
                }, CancellationToken.None);
                foreach (var write in group) write.Committed();
            }
            catch (Exception e)
            {
                foreach (var write in group) write.Failed(e);
            }
        }
    }

    interface IWrite
    {
        Task RunAsync(DbConnection connection, DbTransaction transaction);
        void Committed();
        void Failed(Exception e);
    }

    sealed class Write<T>(Func<DbConnection, DbTransaction, Task<T>> work) : IWrite
    {
        readonly TaskCompletionSource<T> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        T result = default!;

        public Task<T> Done => done.Task;

        public async Task RunAsync(DbConnection connection, DbTransaction transaction) => result = await work(connection, transaction);

        public void Committed() => done.TrySetResult(result);

        public void Failed(Exception e) => done.TrySetException(e);
    }
}
