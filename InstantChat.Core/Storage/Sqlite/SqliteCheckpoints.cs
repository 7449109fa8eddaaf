using InstantChat.Core.Common;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>
/// When the writer copies the store's WAL back into its main file. A checkpoint writes every page
/// changed since the last one and fsyncs the file; on a shared disk that flush delays the log's own
/// fsyncs, which are what acknowledgements wait for (bench/RESULTS.md, "Checkpoints wait for the
/// burst"). So while a backlog builds, checkpoints wait, up to a cap on the WAL's size; once
/// processing has caught up, the next commit checkpoints what piled up.
/// </summary>
sealed class SqliteCheckpoints(LogProgress? backlog)
{
    /// <summary>SQLite's own default: a checkpoint every 1,000 pages (4 MiB).</summary>
    internal const int UsualPages = 1_000;

    /// <summary>The cap while a burst lasts: 128 MiB of 4 KiB pages.</summary>
    internal const int BurstPages = 32_768;

    internal const long BurstBacklog = LogProgress.BurstBacklog;

    /// <summary>After a burst the WAL file is cut back to this size once it is checkpointed.</summary>
    const long WalBytesKept = 64L * 1024 * 1024;

    int? _pages;

    /// <summary>Sets the threshold for the next commit on the writer's connection (outside a transaction).</summary>
    public void Apply(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        var pages = backlog?.Pending >= BurstBacklog ? BurstPages : UsualPages;
        if (pages == _pages) return;
        using var pragma = connection.CreateCommand();
        pragma.CommandText = _pages is null
            ? $"PRAGMA journal_size_limit = {WalBytesKept}; PRAGMA wal_autocheckpoint = {pages}"
            : $"PRAGMA wal_autocheckpoint = {pages}";
        pragma.ExecuteNonQuery();
        _pages = pages;
    }

    /// <summary>A new connection starts from SQLite's defaults.</summary>
    public void Forget() => _pages = null;
}
