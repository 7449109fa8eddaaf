using System.Text.Json;
using InstantChat.Core.EventModel;
using InstantChat.Core.Outbound;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

public sealed partial class SqliteOutboundStore
{
    public async Task<OutboundPage> ListAsync(OutboundQuery q, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM outbound_messages
            WHERE destination_id = $destination
              {(q.Status is null ? "" : "AND status = $status")}
              {(q.EventId is null ? "" : "AND event_id = $event")}
              {(q.Cursor is null ? "" : "AND message_id < $cursor")}
            ORDER BY message_id DESC LIMIT $limit
            """;
        var p = command.Parameters;
        p.AddWithValue("$destination", q.DestinationId);
        if (q.Status is { } s) p.AddWithValue("$status", (int)s);
        if (q.EventId is { } e) p.AddWithValue("$event", e);
        if (q.Cursor is { } c) p.AddWithValue("$cursor", c);
        p.AddWithValue("$limit", q.Limit + 1);
        var items = ReadAll(command);
        return items.Count > q.Limit ? new OutboundPage(items[..q.Limit], items[q.Limit - 1].MessageId) : new OutboundPage(items, null);
    }

    public async Task<OutboundMessage?> FindAsync(string messageId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM outbound_messages WHERE message_id = $id", messageId)).SingleOrDefault();

    public async Task<IReadOnlyList<OutboundMessage>> ForEventAsync(string eventId, CancellationToken cancellationToken) =>
        await QueryAsync($"SELECT {Columns} FROM outbound_messages WHERE event_id = $id ORDER BY destination_id", eventId);

    public async Task<IReadOnlyList<OutboundAttempt>> AttemptsAsync(IReadOnlyCollection<string> messageIds, CancellationToken cancellationToken)
    {
        if (messageIds.Count == 0) return [];
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        var ids = messageIds.ToList();
        command.CommandText = $"""
            SELECT message_id, number, at, status_code, duration_ms, response_headers, response_body, error FROM outbound_attempts
            WHERE message_id IN ({string.Join(',', ids.Select((_, i) => $"$m{i}"))}) ORDER BY message_id, number
            """;
        for (var i = 0; i < ids.Count; i++) command.Parameters.AddWithValue($"$m{i}", ids[i]);
        var list = new List<OutboundAttempt>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            list.Add(new OutboundAttempt(r.GetString(0), r.GetInt32(1), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
                r.IsDBNull(3) ? null : r.GetInt32(3), r.GetDouble(4),
                r.IsDBNull(5) ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(5)) ?? [],
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetString(7)));
        return list;
    }

    public async Task<IReadOnlyDictionary<string, long>> PendingAsync(CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT destination_id, COUNT(*) FROM outbound_messages WHERE status = 0 GROUP BY destination_id";
        var counts = new Dictionary<string, long>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) counts[r.GetString(0)] = r.GetInt64(1);
        return counts;
    }

    public async Task<IReadOnlyDictionary<string, DestinationHealthCounts>> HealthAsync(DateTimeOffset since, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT destination_id, attempts, succeeded, latency, last_attempt_at, last_status_code FROM destination_minutes WHERE minute >= $minute";
        command.Parameters.AddWithValue("$minute", since.ToUnixTimeSeconds() / 60);
        var rows = new List<(string Id, DestinationHealthCounts Counts)>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            rows.Add((r.GetString(0), new DestinationHealthCounts(r.GetInt64(1), r.GetInt64(2), JsonSerializer.Deserialize<long[]>(r.GetString(3)) ?? [],
                r.IsDBNull(4) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4)), r.IsDBNull(5) ? null : r.GetInt32(5))));
        return DestinationHealthSum.Of(rows);
    }

    /// <summary>Reads the events since <paramref name="since"/> (a key range: ids are time-ordered), matches them here, and writes in one commit.</summary>
    public Task<int> ReplayAsync(Destination destination, DateTimeOffset since, DateTimeOffset now, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(ctx =>
        {
            var read = ctx.Command($"SELECT {SqliteEventColumns.Select} FROM events WHERE event_id >= $from AND status IN ('completed', 'skipped') ORDER BY event_id");
            read.Parameters.AddWithValue("$from", EventIds.MinFor(since));
            var matching = new List<WebhookEvent>();
            using (var r = read.ExecuteReader())
                while (r.Read()) if (SqliteEventColumns.Read(r) is var e && destination.Filter.Matches(e)) matching.Add(e);
            var target = new OutboundTarget(destination.DestinationId, destination.Ordering);
            foreach (var e in matching) Insert(ctx, e, target, OutboundMessage.SeqOf(e, null), now, "DO UPDATE SET status = 0, attempts = 0, next_attempt_at = $now");
            return matching.Count;
        }, cancellationToken);

    async Task<List<OutboundMessage>> QueryAsync(string sql, string id)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$id", id);
        return ReadAll(command);
    }
}
