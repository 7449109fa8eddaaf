using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>
/// Brings a file made by an older version up to <see cref="SqliteSchema"/> (CREATE TABLE IF NOT
/// EXISTS leaves an existing table as it was). Each step checks before it changes, so it runs at
/// every start, and a start interrupted between steps finishes the rest the next time.
/// </summary>
static class SqliteMigrations
{
    public static void Apply(SqliteConnection connection)
    {
        var users = Columns(connection, "users");
        // Security stamps (sessions end when they change): every existing user gets a random one,
        // so the cookies issued before, which carry none, end.
        if (!users.Contains("security_stamp"))
            Execute(connection, "ALTER TABLE users ADD COLUMN security_stamp TEXT NOT NULL DEFAULT ''");
        Execute(connection, "UPDATE users SET security_stamp = lower(hex(randomblob(16))) WHERE security_stamp = ''");
        // The hard account lock is gone (sign-ins are throttled in memory instead).
        foreach (var old in (string[])["failed_logins", "locked_until"])
            if (users.Contains(old)) Execute(connection, $"ALTER TABLE users DROP COLUMN {old}");
    }

    static HashSet<string> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
        using var reader = command.ExecuteReader();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        while (reader.Read()) names.Add(reader.GetString(0));
        return names;
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
