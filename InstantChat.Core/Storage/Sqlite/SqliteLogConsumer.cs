namespace InstantChat.Core.Storage.Sqlite;

/// <summary>
/// One host reads the log after the position its last commit wrote (in the main file, with what it
/// made of the batch): no claim or lease is needed, and a batch whose commit failed is read again.
/// </summary>
public sealed class SqliteLogConsumer(SqliteDeliveryLog log, SqliteDatabase database, TimeProvider clock) : ILogConsumer
{
    // The last delivery taken and not committed yet (-1: none): the next batch is read after it.
    long _takenThrough = -1;

    public async Task<LogBatch> TakeAsync(int maxDeliveries, long maxBytes, CancellationToken cancellationToken)
    {
        var after = Math.Max(Position(), Interlocked.Read(ref _takenThrough));
        var entries = await log.ReadAfterAsync(after, maxDeliveries, maxBytes, cancellationToken);
        if (entries.Count == 0) return LogBatch.Empty;
        Interlocked.Exchange(ref _takenThrough, entries[^1].Seq);
        return new LogBatch(entries);
    }

    public void Abandon() => Interlocked.Exchange(ref _takenThrough, -1);

    public async Task<Backlog> BacklogAsync(CancellationToken cancellationToken)
    {
        var position = Position();
        var pending = log.LastSeq - position;
        if (pending <= 0) return Backlog.Empty;
        var oldest = await log.ReceivedAfterAsync(position, cancellationToken);
        return new Backlog(pending, oldest is { } at ? Math.Max(0, (clock.GetUtcNow() - at).TotalMilliseconds) : 0);
    }

    /// <summary>After the main file's commit, never before: a crash in between leaves bytes behind, never loses them.</summary>
    public Task ForgetReplaysAsync(LogBatch taken, IReadOnlyList<LogEntry> replays, CancellationToken cancellationToken) =>
        replays.Count == 0 ? Task.CompletedTask : log.DropBodiesAsync(replays.Select(r => r.Seq).ToList(), cancellationToken);

    public long Position()
    {
        using var connection = database.Open();
        return SqliteIngestStore.Position(connection);
    }
}
