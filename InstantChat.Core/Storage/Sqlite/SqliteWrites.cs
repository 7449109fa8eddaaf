using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

static class SqliteWrites
{
    /// <summary>
    /// One IMMEDIATE transaction (the write lock up front, so concurrent writers wait instead of
    /// failing on a lock upgrade); SQLite errors become <see cref="StoreUnavailableException"/>.
    /// </summary>
    public static Task<T> RunAsync<T>(SqliteDatabase database, Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            using var connection = database.Open();
            using var tx = connection.BeginTransaction(deferred: false);
            var result = work(connection, tx);
            tx.Commit();
            return Task.FromResult(result);
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException($"SQLite write failed: {ex.SqliteErrorCode} {ex.Message}", ex);
        }
    }
}
