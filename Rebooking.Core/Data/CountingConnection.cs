using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Rebooking.Data;

/// <summary>
/// A connection that reports every command it executes to <see cref="Db.CommandExecuted"/>'s listener and
/// otherwise does exactly what the connection it wraps does. It exists so that tests and benchmarks can
/// measure how many statements a page costs instead of guessing.
/// </summary>
internal sealed class CountingConnection(DbConnection inner, Action<string> executed) : DbConnection
{
    public DbConnection Inner { get; } = inner;

    [AllowNull]
    public override string ConnectionString { get => Inner.ConnectionString; set => Inner.ConnectionString = value; }
    public override string Database => Inner.Database;
    public override string DataSource => Inner.DataSource;
    public override string ServerVersion => Inner.ServerVersion;
    public override ConnectionState State => Inner.State;
    public override void ChangeDatabase(string databaseName) => Inner.ChangeDatabase(databaseName);
    public override void Close() => Inner.Close();
    public override void Open() => Inner.Open();
    public override Task OpenAsync(CancellationToken cancellationToken) => Inner.OpenAsync(cancellationToken);
    protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => Inner.BeginTransaction(isolationLevel);
    protected override DbCommand CreateDbCommand() => new CountingCommand(this, Inner.CreateCommand(), executed);

    protected override void Dispose(bool disposing)
    {
        if (disposing) Inner.Dispose();
        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await Inner.DisposeAsync();
        await base.DisposeAsync();
    }

    sealed class CountingCommand(CountingConnection connection, DbCommand inner, Action<string> executed) : DbCommand
    {
        [AllowNull]
        public override string CommandText { get => inner.CommandText; set => inner.CommandText = value; }
        public override int CommandTimeout { get => inner.CommandTimeout; set => inner.CommandTimeout = value; }
        public override CommandType CommandType { get => inner.CommandType; set => inner.CommandType = value; }
        public override bool DesignTimeVisible { get => inner.DesignTimeVisible; set => inner.DesignTimeVisible = value; }
        public override UpdateRowSource UpdatedRowSource { get => inner.UpdatedRowSource; set => inner.UpdatedRowSource = value; }
        protected override DbConnection? DbConnection { get => connection; set { } }
        protected override DbParameterCollection DbParameterCollection => inner.Parameters;
        protected override DbTransaction? DbTransaction { get => inner.Transaction; set => inner.Transaction = value; }
        public override void Cancel() => inner.Cancel();
        public override void Prepare() => inner.Prepare();
        protected override DbParameter CreateDbParameter() => inner.CreateParameter();

        public override int ExecuteNonQuery() { executed(CommandText); return inner.ExecuteNonQuery(); }
        public override object? ExecuteScalar() { executed(CommandText); return inner.ExecuteScalar(); }
        protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) { executed(CommandText); return inner.ExecuteReader(behavior); }

        public override Task<int> ExecuteNonQueryAsync(CancellationToken ct) { executed(CommandText); return inner.ExecuteNonQueryAsync(ct); }
        public override Task<object?> ExecuteScalarAsync(CancellationToken ct) { executed(CommandText); return inner.ExecuteScalarAsync(ct); }
        protected override Task<DbDataReader> ExecuteDbDataReaderAsync(CommandBehavior behavior, CancellationToken ct)
        {
            executed(CommandText);
            return inner.ExecuteReaderAsync(behavior, ct);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
