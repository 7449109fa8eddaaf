using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>
/// Every write to the embedded store goes through this one connection, one group at a time. Writes that
/// arrive together share one transaction and one fsync (group commit), and no two connections ever
/// fight over SQLite's write lock, so processing can never stall an acknowledgement with busy-waits.
/// Each write runs inside its own savepoint: one that throws is undone alone, the others commit.
/// </summary>
public sealed partial class SqliteWriter : IDisposable
{
    const int MaxWritesPerCommit = 2_000;
    readonly SqliteDatabase _database;
    readonly ILogger<SqliteWriter> _logger;
    readonly SqliteCheckpoints _checkpoints;
    readonly Channel<IWrite> _queue = Channel.CreateBounded<IWrite>(new BoundedChannelOptions(50_000) { SingleReader = true });
    readonly Task _loop;
    SqliteWriteContext? _context;
    volatile Task<bool>? _probe;

    public SqliteWriter(SqliteDatabase database, ILogger<SqliteWriter> logger, Common.BackgroundLane? lane = null, Common.LogProgress? backlog = null)
    {
        (_database, _logger, _checkpoints) = (database, logger, new SqliteCheckpoints(backlog));
        // An async loop, not a blocked thread: a blocking wait spins before it sleeps, burning the CPU
        // ingest needs. On the background lane: a burst's acknowledgements come first.
        _loop = lane is null ? Task.Run(RunAsync) : lane.Run(RunAsync);
    }

    /// <summary>Runs <paramref name="work"/> in the next group commit; completes once that commit is durable.</summary>
    public async Task<T> ExecuteAsync<T>(Func<SqliteWriteContext, T> work, CancellationToken cancellationToken = default)
    {
        var write = new Write<T>(work);
        try
        {
            await _queue.Writer.WriteAsync(write, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new StoreUnavailableException("the SQLite writer is stopped");
        }
        return await write.Completion.Task;
    }

    /// <summary>
    /// True when a one-row commit goes through now (readiness: reads still work on a full disk).
    /// Callers while a probe is in flight share it, so a flood of /readyz adds at most one row to a commit.
    /// </summary>
    public Task<bool> ProbeAsync()
    {
        var last = _probe;
        if (last is { IsCompleted: false }) return last;
        var probe = CommitProbeAsync();
        _probe = probe; // two callers racing here run two probes: harmless
        return probe;
    }

    async Task<bool> CommitProbeAsync()
    {
        try
        {
            await ExecuteAsync(ctx =>
            {
                var probe = ctx.Command("INSERT INTO health (id, checked_at) VALUES (1, $at) ON CONFLICT(id) DO UPDATE SET checked_at = excluded.checked_at");
                probe.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                return probe.ExecuteNonQuery();
            });
            return true;
        }
        catch (Exception ex) when (ex is SqliteException or StoreUnavailableException)
        {
            return false;
        }
    }

    async Task RunAsync()
    {
        var group = new List<IWrite>(256);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            group.Clear();
            while (group.Count < MaxWritesPerCommit && reader.TryRead(out var next)) group.Add(next);
            Commit(group);
        }
        _context?.Dispose();
    }

    void Commit(List<IWrite> group)
    {
        try
        {
            _context ??= new SqliteWriteContext(_database.Open());
            _checkpoints.Apply(_context.Connection);
            using var tx = _context.Connection.BeginTransaction(deferred: false);
            _context.Begin(tx);
            foreach (var write in group) write.Run(_context);
            tx.Commit();
            foreach (var write in group) write.Publish();
        }
        catch (Exception ex)
        {
            // The commit itself failed (disk full, file gone, read-only): nothing in the group is stored.
            LogCommitFailed(group.Count, ex.GetType().Name, ex.Message);
            _context?.Dispose();
            _context = null;
            _checkpoints.Forget();
            var failure = new StoreUnavailableException($"SQLite commit failed: {ex.Message}", ex);
            foreach (var write in group) write.Fail(failure);
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _loop.Wait(TimeSpan.FromSeconds(10));
    }

    [LoggerMessage(LogLevel.Error, "SQLite group commit of {Writes} writes failed: {ErrorType} {Error}")]
    partial void LogCommitFailed(int writes, string errorType, string error);

    interface IWrite
    {
        void Run(SqliteWriteContext context);
        void Publish();
        void Fail(Exception ex);
    }

    sealed class Write<T>(Func<SqliteWriteContext, T> work) : IWrite
    {
        public TaskCompletionSource<T> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        T? _result;
        Exception? _error;

        public void Run(SqliteWriteContext context)
        {
            context.Execute("SAVEPOINT w");
            try
            {
                _result = work(context);
                context.Execute("RELEASE w");
            }
            catch (Exception ex) when (ex is not SqliteException { SqliteErrorCode: 13 or 10 or 8 }) // full, I/O, read-only: the commit fails
            {
                context.Execute("ROLLBACK TO w");
                context.Execute("RELEASE w");
                _error = ex is SqliteException ? new StoreUnavailableException($"SQLite write failed: {ex.Message}", ex) : ex;
            }
        }

        public void Publish()
        {
            if (_error is null) Completion.TrySetResult(_result!);
            else Completion.TrySetException(_error);
        }

        public void Fail(Exception ex) => Completion.TrySetException(ex);
    }
}

/// <summary>The writer's connection and its prepared statements, handed to each write.</summary>
public sealed class SqliteWriteContext(SqliteConnection connection) : IDisposable
{
    readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    SqliteTransaction? _tx;

    public SqliteConnection Connection { get; } = connection;

    internal void Begin(SqliteTransaction tx) => _tx = tx;

    /// <summary>A prepared command for <paramref name="sql"/>, reused across writes, parameters cleared.</summary>
    public SqliteCommand Command(string sql)
    {
        var command = Prepared(sql);
        command.Parameters.Clear();
        return command;
    }

    /// <summary>The same, keeping the parameters the previous use added (the hot insert path rebinds values only).</summary>
    public SqliteCommand Prepared(string sql)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            _commands[sql] = command = Connection.CreateCommand();
            command.CommandText = sql;
        }
        command.Transaction = _tx;
        return command;
    }

    internal void Execute(string sql) => Command(sql).ExecuteNonQuery();

    public void Dispose()
    {
        foreach (var command in _commands.Values) command.Dispose();
        Connection.Dispose();
    }
}
