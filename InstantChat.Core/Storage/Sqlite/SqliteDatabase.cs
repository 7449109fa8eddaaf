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
        var hadEvents = TableExists(connection, "events");
        var hadIndex = TableExists(connection, "events_fts");
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + SqliteSchema.Ddl;
        command.ExecuteNonQuery();
        Migrate(connection);
        // A store from before the search index: index what it holds, once.
        if (hadEvents && !hadIndex) Execute(connection, "INSERT INTO events_fts(events_fts) VALUES ('rebuild')");
    }

    static bool TableExists(SqliteConnection connection, string name)
    {
        using var check = connection.CreateCommand();
        check.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = $name";
        check.Parameters.AddWithValue("$name", name);
        return (long)check.ExecuteScalar()! > 0;
    }

    /// <summary>
    /// A file from an earlier version: CREATE TABLE IF NOT EXISTS left its tables as they were. Each
    /// step checks before it changes, so this runs at every start and finishes an interrupted one.
    /// </summary>
    static void Migrate(SqliteConnection connection)
    {
        foreach (var (table, column, definition) in SqliteSchema.AddedColumns)
            if (!HasColumn(connection, table, column)) Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {definition}");
        foreach (var (table, column) in SqliteSchema.DroppedColumns)
            if (HasColumn(connection, table, column)) Execute(connection, $"ALTER TABLE {table} DROP COLUMN {column}");
        Execute(connection, SqliteSchema.Backfill);
    }

    static bool HasColumn(SqliteConnection connection, string table, string column)
    {
        using var check = connection.CreateCommand();
        check.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
        return (long)check.ExecuteScalar()! > 0;
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
