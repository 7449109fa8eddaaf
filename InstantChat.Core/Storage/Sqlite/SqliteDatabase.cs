using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>The embedded store's file: where it is, how connections open, and its schema.</summary>
public sealed class SqliteDatabase
{
    readonly SqliteFile _file;

    public SqliteDatabase(IOptions<StorageOptions> options) => _file = new SqliteFile(options.Value.SqlitePath);

    public string Path => _file.Path;
    public string ConnectionString => _file.ConnectionString;

    public SqliteConnection Open() => _file.Open();

    /// <summary>Creates the folder, the file and the schema; idempotent.</summary>
    public void Initialize()
    {
        using var connection = _file.Initialize("");
        var (hadEvents, hadIndex, hadPeople) = (TableExists(connection, "events"), TableExists(connection, "events_fts"), TableExists(connection, "participants"));
        Execute(connection, SqliteSchema.Ddl + SqliteParticipantStore.Ddl + SqliteOutboundStore.Ddl + SqliteAlertStore.Ddl);
        Migrate(connection);
        // A store from before the search index or the directory: index and name what it holds, once.
        if (hadEvents && !hadIndex) Execute(connection, "INSERT INTO events_fts(events_fts) VALUES ('rebuild')");
        if (hadEvents && !hadPeople) Execute(connection, SqliteParticipantStore.Backfill);
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
        foreach (var (table, column, definition) in SqliteMigrations.AddedColumns)
            if (!HasColumn(connection, table, column)) Execute(connection, $"ALTER TABLE {table} ADD COLUMN {column} {definition}");
        foreach (var (table, column) in SqliteMigrations.DroppedColumns)
            if (HasColumn(connection, table, column)) Execute(connection, $"ALTER TABLE {table} DROP COLUMN {column}");
        Execute(connection, SqliteMigrations.Backfill);
        Execute(connection, SqliteMigrations.AfterMigration);
        Execute(connection, SqliteMigrations.Dropped);
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
