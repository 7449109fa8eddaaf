namespace InstantChat.Core.Storage.Sqlite;

/// <summary>
/// One host reads the log after the position its last commit wrote (in the main file, with what it
/// made of the batch): no claim or lease is needed, and a batch whose commit failed is read again.
/// </summary>
public sealed class SqliteLogConsumer(SqliteDeliveryLog log, SqliteDatabase database, TimeProvider clock) : ILogConsumer
{
    public async Task<LogBatch> TakeAsync(int maxDeliveries, long maxBytes, CancellationToken cancellationToken)
    {
        var entries = await log.ReadAfterAsync(Position(), maxDeliveries, maxBytes, cancellationToken);
        return entries.Count == 0 ? LogBatch.Empty : new LogBatch(entries);
    }

    public async Task<Backlog> BacklogAsync(CancellationToken cancellationToken)
    {
        var position = Position();
        var pending = log.LastSeq - position;
        if (pending <= 0) return Backlog.Empty;
        var oldest = await log.ReceivedAfterAsync(position, cancellationToken);
        return new Backlog(pending, oldest is { } at ? Math.Max(0, (clock.GetUtcNow() - at).TotalMilliseconds) : 0);
    }

    public long Position()
    {
        using var connection = database.Open();
        return SqliteIngestStore.Position(connection);
    }
}
