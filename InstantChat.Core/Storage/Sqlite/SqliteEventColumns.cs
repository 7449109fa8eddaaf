using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>The one mapping between <see cref="WebhookEvent"/> and the events table, both ways.</summary>
static class SqliteEventColumns
{
    public const string Select = """
        event_id, event_type, account_id, sender_id, recipient_id, timestamp, received_at, payload,
        text, media_url, media_type, username, full_name, profile_picture,
        status, attempts, last_error, processed_at, processing_ms, dedup_key, delivery_id, next_attempt_at,
        platform, content_extra
        """;

    static readonly string[] Names = Select.Split(',', StringSplitOptions.TrimEntries);

    /// <summary><see cref="Select"/> with every column qualified by a table alias (for joins).</summary>
    public static string SelectOf(string alias) => string.Join(", ", Names.Select(n => $"{alias}.{n}"));

    public static readonly string InsertSql =
        $"INSERT INTO events ({Select}) VALUES ({string.Join(", ", Names.Select(n => "$" + n))}) ON CONFLICT(dedup_key) DO NOTHING";

    /// <summary>The newest row's rowid: the commit's new rows come after it (rowids only grow while rows are added).</summary>
    public static long LastRowid(SqliteWriteContext ctx) => (long)ctx.Command("SELECT COALESCE(MAX(rowid), 0) FROM events").ExecuteScalar()!;

    /// <summary>
    /// Adds the rows after <paramref name="rowid"/> to the text index in one statement. Not a row
    /// trigger: FTS5 flushes its pending terms at every statement savepoint, and an INSERT … ON
    /// CONFLICT with a trigger opens one per row, so each event became an index segment of its own
    /// to merge (≈150 µs per event, 2/3 of the processor's time: bench/RESULTS.md).
    /// </summary>
    public static void IndexTextAfter(SqliteWriteContext ctx, long rowid)
    {
        var index = ctx.Command("""
            INSERT INTO events_fts(rowid, text, username)
            SELECT rowid, text, username FROM events WHERE rowid > $after AND (text IS NOT NULL OR username IS NOT NULL)
            """);
        index.Parameters.AddWithValue("$after", rowid);
        index.ExecuteNonQuery();
    }

    /// <summary>Binds every column of <paramref name="e"/> to a command made from <see cref="InsertSql"/>.</summary>
    /// <param name="keepPayload">false where the delivery's bytes are kept: the update is cut out of them on read (<see cref="UpdatePayloads"/>).</param>
    public static void Bind(SqliteCommand command, WebhookEvent e, bool keepPayload = true)
    {
        var p = command.Parameters;
        if (p.Count != Names.Length)
        {
            p.Clear();
            foreach (var name in Names) p.Add(new SqliteParameter("$" + name, null));
        }
        p["$event_id"].Value = e.EventId;
        p["$event_type"].Value = e.EventType;
        p["$account_id"].Value = Db(e.AccountId);
        p["$sender_id"].Value = Db(e.SenderId);
        p["$recipient_id"].Value = Db(e.RecipientId);
        p["$timestamp"].Value = e.Timestamp.ToUnixTimeMilliseconds();
        p["$received_at"].Value = e.ReceivedAt.ToUnixTimeMilliseconds();
        p["$payload"].Value = keepPayload ? Db(e.Payload) : DBNull.Value;
        p["$text"].Value = Db(e.Content.Text);
        p["$media_url"].Value = Db(e.Content.MediaUrl);
        p["$media_type"].Value = Db(e.Content.MediaType);
        p["$username"].Value = Db(e.UserInfo.Username);
        p["$full_name"].Value = Db(e.UserInfo.FullName);
        p["$profile_picture"].Value = Db(e.UserInfo.ProfilePicture);
        p["$status"].Value = e.ProcessedStatus.ToWire();
        p["$attempts"].Value = e.Attempts;
        p["$last_error"].Value = Db(e.LastError);
        p["$processed_at"].Value = e.ProcessedAt is { } at ? at.ToUnixTimeMilliseconds() : DBNull.Value;
        p["$processing_ms"].Value = e.ProcessingMs is { } ms ? ms : DBNull.Value;
        p["$dedup_key"].Value = e.DeduplicationKey;
        p["$delivery_id"].Value = e.DeliveryId;
        // A new pending event is due at once; a finished one (unparseable) is not in the queue.
        p["$next_attempt_at"].Value = e.ProcessedStatus == ProcessingStatus.Pending
            ? (e.NextAttemptAt ?? e.ReceivedAt).ToUnixTimeMilliseconds()
            : DBNull.Value;
        p["$platform"].Value = e.Platform;
        p["$content_extra"].Value = ContentExtras.Write(e.Content) is { } extra ? extra : DBNull.Value;
    }

    public static WebhookEvent Read(SqliteDataReader r) => new()
    {
        EventId = r.GetString(0),
        EventType = r.GetString(1),
        AccountId = Str(r, 2),
        SenderId = Str(r, 3),
        RecipientId = Str(r, 4),
        Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(5)),
        ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
        Payload = Str(r, 7),
        Content = ContentExtras.Read(new EventContent(Str(r, 8), Str(r, 9), Str(r, 10)), Str(r, 23)),
        UserInfo = new UserInfo(Str(r, 11), Str(r, 12), Str(r, 13)),
        ProcessedStatus = ProcessingStatuses.TryParse(r.GetString(14), out var s) ? s : ProcessingStatus.Failed,
        Attempts = r.GetInt32(15),
        LastError = Str(r, 16),
        ProcessedAt = r.IsDBNull(17) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(17)),
        ProcessingMs = r.IsDBNull(18) ? null : r.GetDouble(18),
        DeduplicationKey = r.GetString(19),
        DeliveryId = r.GetString(20),
        NextAttemptAt = r.IsDBNull(21) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(21)),
        Platform = r.GetString(22),
    };

    static object Db(string? value) => (object?)value ?? DBNull.Value;
    static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
