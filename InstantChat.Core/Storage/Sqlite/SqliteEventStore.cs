using System.Text;
using InstantChat.Core.EventModel;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>Queries over the embedded store; each call takes a pooled connection.</summary>
public sealed class SqliteEventStore(SqliteDatabase database, SqliteWriter writer, SqliteDeliveryLog log) : IEventStore
{
    readonly SqliteDeliveryBodies _bodies = new(database, log);

    /// <summary>
    /// A text search examines at most this many of the newest matches per call: a common term with a
    /// filter that excludes most of them (say, failed events mentioning "order") then costs the same
    /// as any other page. A short page keeps a cursor: the next call goes on from where this one stopped.
    /// </summary>
    public const int TextScanLimit = 500;

    public async Task<EventPage> ListAsync(EventQuery query, CancellationToken cancellationToken)
    {
        if (query.Text is { } text && !TextSearch.IsSearchable(text)) return new EventPage([], null);
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        var where = Filters(command, query);
        var sql = new StringBuilder();
        if (query.Text is not null)
        {
            // The trigram index drives, newest first (by rowid), over at most TextScanLimit matches.
            sql.Append($"SELECT {SqliteEventColumns.SelectOf("e")} FROM ({TextMatches}) f CROSS JOIN events e ON e.rowid = f.rowid");
            command.Parameters.AddWithValue("$q", FtsPhrase(query.Text));
            command.Parameters.AddWithValue("$cursor", (object?)query.Cursor ?? DBNull.Value);
            command.Parameters.AddWithValue("$scan", TextScanLimit);
            if (where.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", where);
            sql.Append(" ORDER BY f.rowid DESC");
        }
        else
        {
            sql.Append($"SELECT {SqliteEventColumns.SelectOf("e")} FROM events e");
            if (query.Cursor is { } cursor)
            {
                where.Add("e.event_id < $cursor");
                command.Parameters.AddWithValue("$cursor", cursor);
            }
            if (where.Count > 0) sql.Append(" WHERE ").AppendJoin(" AND ", where);
            sql.Append(" ORDER BY e.event_id DESC");
        }
        sql.Append(" LIMIT $limit");
        command.Parameters.AddWithValue("$limit", query.Limit + 1);
        command.CommandText = sql.ToString();

        var items = new List<WebhookEvent>(Math.Min(query.Limit + 1, 64));
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
            while (await reader.ReadAsync(cancellationToken))
                items.Add(SqliteEventColumns.Read(reader));
        if (items.Count > query.Limit)
        {
            items.RemoveAt(items.Count - 1);
            return new EventPage(await UpdatePayloads.FillAsync(items, _bodies, cancellationToken), items[^1].EventId);
        }
        return new EventPage(await UpdatePayloads.FillAsync(items, _bodies, cancellationToken),
            query.Text is null ? null : await LastScannedAsync(connection, query.Text, query.Cursor, cancellationToken));
    }

    /// <summary>The filters present, as SQL on alias <c>e</c> with their parameters, so SQLite can pick the (filter, event_id) index.</summary>
    static List<string> Filters(SqliteCommand command, EventQuery query)
    {
        var where = new List<string>();
        void Add(string clause, string name, object value)
        {
            where.Add(clause);
            command.Parameters.AddWithValue(name, value);
        }
        if (query.EventType is { } type) Add("e.event_type = $type", "$type", type);
        if (query.Platform is { } platform) Add("e.platform = $platform", "$platform", platform);
        if (query.Status is { } status) Add("e.status = $status", "$status", status.ToWire());
        if (query.AccountId is { } account) Add("e.account_id = $account", "$account", account);
        if (query.SenderId is { } sender) Add("e.sender_id = $sender", "$sender", sender);
        if (query.From is { } from) Add("e.event_id >= $from", "$from", EventIds.MinFor(from));
        if (query.To is { } to) Add("e.event_id < $to", "$to", EventIds.MinFor(to.AddMilliseconds(1)));
        return where;
    }

    /// <summary>
    /// Stops at <paramref name="cap"/> + 1 matches; a text search counts among its newest
    /// <paramref name="cap"/> index matches only, so neither reads more than about cap rows of an index.
    /// </summary>
    public async Task<MatchCount> CountAsync(EventQuery query, int cap, CancellationToken cancellationToken)
    {
        if (query.Text is { } text && !TextSearch.IsSearchable(text)) return new MatchCount(0, false);
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        var where = Filters(command, query);
        var filters = where.Count > 0 ? " WHERE " + string.Join(" AND ", where) : "";
        command.Parameters.AddWithValue("$cap", cap);
        if (query.Text is null)
        {
            command.CommandText = $"SELECT COUNT(*) FROM (SELECT 1 FROM events e{filters} LIMIT $cap + 1)";
            var n = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
            return n > cap ? new MatchCount(cap, true) : new MatchCount(n, false);
        }
        command.Parameters.AddWithValue("$q", FtsPhrase(query.Text));
        command.CommandText = $"""
            SELECT COUNT(*), (SELECT COUNT(*) FROM (SELECT 1 FROM events_fts WHERE events_fts MATCH $q LIMIT $cap + 1)) > $cap
            FROM (SELECT rowid FROM events_fts WHERE events_fts MATCH $q ORDER BY rowid DESC LIMIT $cap) f
            CROSS JOIN events e ON e.rowid = f.rowid{filters}
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new MatchCount(reader.GetInt64(0), reader.GetInt64(1) == 1);
    }

    /// <summary>The newest matches after the cursor (an event id), as many as one call may examine.</summary>
    const string TextMatches = """
        SELECT rowid FROM events_fts WHERE events_fts MATCH $q
          AND ($cursor IS NULL OR rowid < (SELECT rowid FROM events WHERE event_id = $cursor))
        ORDER BY rowid DESC LIMIT $scan
        """;

    /// <summary>When a search stopped at its scan limit: the last match it examined, where the next call goes on.</summary>
    static async Task<string?> LastScannedAsync(SqliteConnection connection, string text, string? cursor, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT e.event_id FROM ({TextMatches} OFFSET $scan - 1) f JOIN events e ON e.rowid = f.rowid";
        command.Parameters.AddWithValue("$q", FtsPhrase(text));
        command.Parameters.AddWithValue("$cursor", (object?)cursor ?? DBNull.Value);
        command.Parameters.AddWithValue("$scan", TextScanLimit);
        return await command.ExecuteScalarAsync(cancellationToken) as string;
    }

    /// <summary>The text as one FTS5 phrase: quoted, so no character of it is query syntax.</summary>
    static string FtsPhrase(string text) => "\"" + text.Replace("\"", "\"\"") + "\"";

    public Task<WebhookEvent?> FindAsync(string eventId, CancellationToken cancellationToken) => FindOneAsync("event_id", eventId, cancellationToken);

    public Task<WebhookEvent?> FindByKeyAsync(string deduplicationKey, CancellationToken cancellationToken) => FindOneAsync("dedup_key", deduplicationKey, cancellationToken);

    async Task<WebhookEvent?> FindOneAsync(string column, string value, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {SqliteEventColumns.Select} FROM events WHERE {column} = $value";
        command.Parameters.AddWithValue("$value", value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await UpdatePayloads.FillAsync(await reader.ReadAsync(cancellationToken) ? SqliteEventColumns.Read(reader) : null, _bodies, cancellationToken);
    }

    public async Task<DeliveryRecord?> FindDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        // A replay's bytes are those of the delivery it points to; a delivery's own are in the log
        // (or, for a record from before the log, in the record).
        command.CommandText = """
            SELECT d.delivery_id, d.received_at, d.size, d.event_count, d.duplicate_count, d.content_type,
                   COALESCE(o.body, d.body), d.same_as, d.replays, COALESCE(o.log_seq, d.log_seq)
            FROM deliveries d LEFT JOIN deliveries o ON o.delivery_id = d.same_as
            WHERE d.delivery_id = $id
            """;
        command.Parameters.AddWithValue("$id", deliveryId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        var body = (byte[])reader[6];
        if (!reader.IsDBNull(9)) body = await log.BodyAsync(reader.GetInt64(9), cancellationToken) ?? [];
        return new DeliveryRecord(
            reader.GetString(0),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(1)),
            reader.GetInt32(2),
            reader.GetInt32(3),
            reader.GetInt32(4),
            reader.IsDBNull(5) ? null : reader.GetString(5),
            body,
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.GetInt32(8));
    }

    // A one-row commit answers both questions: the file opens, and it takes a write (reads still
    // work on a full disk; a delivery needs a commit).
    public Task<bool> PingAsync(CancellationToken cancellationToken) => writer.ProbeAsync();
}
