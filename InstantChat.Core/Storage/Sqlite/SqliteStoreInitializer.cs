namespace InstantChat.Core.Storage.Sqlite;

sealed class SqliteStoreInitializer(SqliteDatabase database) : IStoreInitializer
{
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        database.Initialize();
        return Task.CompletedTask;
    }
}
