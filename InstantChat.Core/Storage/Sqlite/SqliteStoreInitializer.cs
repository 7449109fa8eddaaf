using InstantChat.Core.Common;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>Both files, then what this host knows of the backlog: the log's newest position less the processor's.</summary>
sealed class SqliteStoreInitializer(SqliteDatabase database, SqliteDeliveryLog log, SqliteLogConsumer consumer, LogProgress progress) : IStoreInitializer
{
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        database.Initialize();
        log.Initialize();
        progress.Reset(log.LastSeq - consumer.Position(), progress.Mark);
        return Task.CompletedTask;
    }
}
