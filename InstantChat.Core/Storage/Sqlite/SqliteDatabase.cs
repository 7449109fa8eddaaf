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
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;" + SqliteSchema.Ddl;
        command.ExecuteNonQuery();
        SqliteMigrations.Apply(connection);
    }
}
