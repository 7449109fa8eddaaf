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
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var connection = Open();
        var hadEvents = TableExists(connection, "events");
        var hadIndex = TableExists(connection, "events_fts");
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + SqliteSchema.Ddl;
        command.ExecuteNonQuery();
        AddMissingColumns(connection);
        if (hadEvents && !hadIndex)
        {
            // A store from before the search index: index what it holds, once.
            using var rebuild = connection.CreateCommand();
            rebuild.CommandText = "INSERT INTO events_fts(events_fts) VALUES ('rebuild')";
            rebuild.ExecuteNonQuery();
        }
    }

    static bool TableExists(SqliteConnection connection, string name)
    {
        using var check = connection.CreateCommand();
        check.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name = $name";
        check.Parameters.AddWithValue("$name", name);
        return (long)check.ExecuteScalar()! > 0;
    }

    static void AddMissingColumns(SqliteConnection connection)
    {
        foreach (var (table, column, definition) in SqliteSchema.AddedColumns)
        {
            using var check = connection.CreateCommand();
            check.CommandText = $"SELECT COUNT(*) FROM pragma_table_info('{table}') WHERE name = '{column}'";
            if ((long)check.ExecuteScalar()! > 0) continue;
            using var alter = connection.CreateCommand();
            alter.CommandText = $"ALTER TABLE {table} ADD COLUMN {column} {definition}";
            alter.ExecuteNonQuery();
        }
    }
}
