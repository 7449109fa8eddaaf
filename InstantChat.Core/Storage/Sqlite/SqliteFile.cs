using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>One SQLite file of the embedded store: where it is, how its connections open, how it is created.</summary>
/// <param name="cacheKiB">Page cache per connection: the store's b-trees gain from one; the log, written and read in order, does not.</param>
public sealed class SqliteFile(string path, int cacheKiB = 32 * 1024)
{
    public string Path { get; } = path;

    public string ConnectionString { get; } = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        // FULL: with WAL, every commit is fsynced, so an acknowledged delivery survives a power cut.
        using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA cache_size=-{cacheKiB}; PRAGMA temp_store=MEMORY;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Creates the folder and the file owner-only, turns WAL on and runs <paramref name="ddl"/>; idempotent.</summary>
    public SqliteConnection Initialize(string ddl)
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder)) OwnerOnly.Folder(folder); // an existing DATA_DIR is the operator's to set
        // SQLite gives the -wal and -shm files the database file's mode when it creates them, so the
        // file is created 0600 before SQLite opens it; files from before are tightened.
        OwnerOnly.CreateFile(Path);
        OwnerOnly.Tighten(Path + "-wal");
        OwnerOnly.Tighten(Path + "-shm");
        var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + ddl;
        command.ExecuteNonQuery();
        return connection;
    }
}
