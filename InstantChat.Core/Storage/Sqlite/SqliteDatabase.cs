using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>The embedded store's file: where it is, how connections open, and its schema.</summary>
public sealed class SqliteDatabase
{
    public SqliteDatabase(IOptions<StorageOptions> options)
    {
        Path = options.Value.SqlitePath;
        ConnectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }
    public string ConnectionString { get; }

    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        // FULL: with WAL, every commit is fsynced, so an acknowledged delivery survives a power cut.
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA cache_size=-32768; PRAGMA temp_store=MEMORY;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Creates the folder, the file and the schema; idempotent.</summary>
    public void Initialize()
    {
        var folder = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(folder)) OwnerOnly.Folder(folder); // an existing DATA_DIR is the operator's to set
        // SQLite gives the -wal and -shm files the database file's mode when it creates them, so the
        // file is created 0600 before SQLite opens it; files from before are tightened.
        OwnerOnly.CreateFile(Path);
        OwnerOnly.Tighten(Path + "-wal");
        OwnerOnly.Tighten(Path + "-shm");
        using var connection = Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + SqliteSchema.Ddl;
        command.ExecuteNonQuery();
    }
}
