using InstantChat.Core.People;

namespace InstantChat.Core.Storage.Sqlite;

public sealed class SqliteParticipantStore(SqliteDatabase database) : IParticipantStore
{
    internal const string Ddl = """
        CREATE TABLE IF NOT EXISTS participants (
            id              TEXT PRIMARY KEY,
            username        TEXT,
            full_name       TEXT,
            profile_picture TEXT,
            last_seen       INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    // The newer sighting's names win, a missing one never erases a known one, and an older
    // sighting (a retry, a replay) only fills what is still unknown: the order commits land in never matters.
    const string Upsert = """
        INSERT INTO participants (id, username, full_name, profile_picture, last_seen) VALUES ($id, $username, $fullName, $picture, $seen)
        ON CONFLICT(id) DO UPDATE SET
            username        = CASE WHEN excluded.last_seen >= last_seen THEN COALESCE(excluded.username, username) ELSE COALESCE(username, excluded.username) END,
            full_name       = CASE WHEN excluded.last_seen >= last_seen THEN COALESCE(excluded.full_name, full_name) ELSE COALESCE(full_name, excluded.full_name) END,
            profile_picture = CASE WHEN excluded.last_seen >= last_seen THEN COALESCE(excluded.profile_picture, profile_picture) ELSE COALESCE(profile_picture, excluded.profile_picture) END,
            last_seen       = max(last_seen, excluded.last_seen)
        """;

    /// <summary>Once, for a store from before the directory: the names its events already carry.</summary>
    internal const string Backfill = """
        INSERT INTO participants (id, username, full_name, profile_picture, last_seen)
        SELECT sender_id, username, full_name, profile_picture, max(timestamp) FROM events
        WHERE sender_id IS NOT NULL AND (username IS NOT NULL OR full_name IS NOT NULL)
        GROUP BY sender_id
        ON CONFLICT(id) DO NOTHING
        """;

    /// <summary>In the processor's commit: one row write per named sender of its new events.</summary>
    internal static void Record(SqliteWriteContext ctx, IReadOnlyList<Participant> seen)
    {
        if (seen.Count == 0) return;
        var upsert = ctx.Command(Upsert);
        var p = upsert.Parameters;
        foreach (var name in new[] { "$id", "$username", "$fullName", "$picture", "$seen" }) p.AddWithValue(name, DBNull.Value);
        foreach (var s in seen)
        {
            p["$id"].Value = s.Id;
            p["$username"].Value = (object?)s.Username ?? DBNull.Value;
            p["$fullName"].Value = (object?)s.FullName ?? DBNull.Value;
            p["$picture"].Value = (object?)s.ProfilePicture ?? DBNull.Value;
            p["$seen"].Value = s.LastSeen.ToUnixTimeMilliseconds();
            upsert.ExecuteNonQuery();
        }
    }

    public async Task<IReadOnlyDictionary<string, Participant>> FindAsync(IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, Participant>(StringComparer.Ordinal);
        if (ids.Count == 0) return found;
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        // One parameter per id (at most 500, under SQLite's limit of 32,766).
        var names = ids.Take(500).Select((id, i) => { command.Parameters.AddWithValue($"$i{i}", id); return $"$i{i}"; });
        command.CommandText = $"SELECT id, username, full_name, profile_picture, last_seen FROM participants WHERE id IN ({string.Join(',', names)})";
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            found[r.GetString(0)] = new Participant(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2),
                r.IsDBNull(3) ? null : r.GetString(3), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)));
        return found;
    }
}
