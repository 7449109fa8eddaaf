using System.Text.Json;
using InstantChat.Core.EventModel;
using InstantChat.Core.Outbound;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>Outbound messages on SQLite: created in the processor's commit (<see cref="Create"/>), sent by the one host.</summary>
public sealed partial class SqliteOutboundStore(SqliteDatabase database, SqliteWriter writer) : IOutboundStore
{
    internal const string Ddl = """
        CREATE TABLE IF NOT EXISTS destinations (destination_id TEXT NOT NULL PRIMARY KEY, doc TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS outbound_messages (
            message_id       TEXT NOT NULL PRIMARY KEY,
            destination_id   TEXT NOT NULL,
            event_id         TEXT NOT NULL,
            order_key        TEXT,
            status           INTEGER NOT NULL,
            attempts         INTEGER NOT NULL DEFAULT 0,
            total_attempts   INTEGER NOT NULL DEFAULT 0,
            created_at       INTEGER NOT NULL,
            next_attempt_at  INTEGER,
            last_attempt_at  INTEGER,
            last_status_code INTEGER,
            last_error       TEXT,
            lease_until      INTEGER,
            lease_holder     TEXT,
            UNIQUE (event_id, destination_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS outbound_due ON outbound_messages (destination_id, next_attempt_at) WHERE status = 0;
        CREATE INDEX IF NOT EXISTS outbound_conversation ON outbound_messages (destination_id, order_key, event_id) WHERE status = 0 AND order_key IS NOT NULL;
        CREATE INDEX IF NOT EXISTS outbound_list ON outbound_messages (destination_id, message_id);
        CREATE TABLE IF NOT EXISTS destination_stats (
            destination_id   TEXT NOT NULL,
            hour             INTEGER NOT NULL,
            attempts         INTEGER NOT NULL DEFAULT 0,
            succeeded        INTEGER NOT NULL DEFAULT 0,
            latency          TEXT NOT NULL DEFAULT '[0,0,0,0,0,0,0,0,0,0,0,0]',
            last_attempt_at  INTEGER,
            last_status_code INTEGER,
            PRIMARY KEY (destination_id, hour)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS outbound_attempts (
            message_id       TEXT NOT NULL,
            number           INTEGER NOT NULL,
            at               INTEGER NOT NULL,
            status_code      INTEGER,
            duration_ms      REAL NOT NULL,
            response_headers TEXT,
            response_body    TEXT,
            error            TEXT,
            PRIMARY KEY (message_id, number)
        ) WITHOUT ROWID;
        """;

    const string Columns = "message_id, destination_id, event_id, order_key, status, attempts, total_attempts, created_at, next_attempt_at, last_attempt_at, last_status_code, last_error";

    /// <summary>
    /// In the processor's commit: one message per new event and destination (a second one for the
    /// same pair is ignored), due at once. Its id and creation time are the event's arrival, so the
    /// newest-first list follows the events.
    /// </summary>
    internal static void Create(SqliteWriteContext ctx, IEnumerable<(WebhookEvent Event, OutboundTarget Target)> messages)
    {
        foreach (var (e, target) in messages)
        {
            var now = e.ReceivedAt;
            var command = ctx.Command($"""
                INSERT INTO outbound_messages (message_id, destination_id, event_id, order_key, status, created_at, next_attempt_at)
                VALUES ($id, $destination, $event, $order, 0, $now, $now) ON CONFLICT DO NOTHING
                """);
            var p = command.Parameters;
            p.AddWithValue("$id", OutboundMessage.NewId(now));
            p.AddWithValue("$destination", target.DestinationId);
            p.AddWithValue("$event", e.EventId);
            p.AddWithValue("$order", target.Ordering == Ordering.Conversation ? OutboundMessage.ConversationOf(e) : DBNull.Value);
            p.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }
    }

    public Task<IReadOnlyList<OutboundMessage>> TakeDueAsync(string destinationId, int max, DateTimeOffset now, DateTimeOffset leaseUntil, string holder, CancellationToken cancellationToken) =>
        writer.ExecuteAsync<IReadOnlyList<OutboundMessage>>(ctx =>
        {
            // With conversation ordering a message waits while an earlier one of its conversation is unfinished (held, or in backoff).
            var command = ctx.Command($"""
                UPDATE outbound_messages SET lease_until = $until, lease_holder = $holder
                WHERE message_id IN (
                    SELECT m.message_id FROM outbound_messages m
                    WHERE m.destination_id = $destination AND m.status = 0 AND m.next_attempt_at <= $now
                      AND (m.lease_until IS NULL OR m.lease_until < $now)
                      AND (m.order_key IS NULL OR NOT EXISTS (
                          SELECT 1 FROM outbound_messages p
                          WHERE p.destination_id = m.destination_id AND p.status = 0 AND p.order_key = m.order_key AND p.event_id < m.event_id))
                    ORDER BY m.next_attempt_at, m.event_id LIMIT $max)
                RETURNING {Columns}
                """);
            var p = command.Parameters;
            p.AddWithValue("$destination", destinationId);
            p.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            p.AddWithValue("$until", leaseUntil.ToUnixTimeMilliseconds());
            p.AddWithValue("$holder", holder);
            p.AddWithValue("$max", max);
            return ReadAll(command).OrderBy(m => m.NextAttemptAt).ThenBy(m => m.EventId, StringComparer.Ordinal).ToList();
        }, cancellationToken);

    public Task RecordAsync(OutboundMessage m, OutboundAttempt attempt, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var update = ctx.Command("""
            UPDATE outbound_messages SET status = $status, attempts = $attempts, total_attempts = $total, next_attempt_at = $next,
                last_attempt_at = $at, last_status_code = $code, last_error = $error, lease_until = NULL, lease_holder = NULL
            WHERE message_id = $id
            """);
        var p = update.Parameters;
        p.AddWithValue("$id", m.MessageId);
        p.AddWithValue("$status", (int)m.Status);
        p.AddWithValue("$attempts", m.Attempts);
        p.AddWithValue("$total", m.TotalAttempts);
        p.AddWithValue("$next", m.NextAttemptAt is { } next ? next.ToUnixTimeMilliseconds() : DBNull.Value);
        p.AddWithValue("$at", attempt.At.ToUnixTimeMilliseconds());
        p.AddWithValue("$code", (object?)attempt.StatusCode ?? DBNull.Value);
        p.AddWithValue("$error", (object?)m.LastError ?? DBNull.Value);
        if (update.ExecuteNonQuery() == 0) return 0; // deleted with its destination meanwhile
        CountAttempt(ctx, m.DestinationId, attempt);
        var insert = ctx.Command("""
            INSERT INTO outbound_attempts (message_id, number, at, status_code, duration_ms, response_headers, response_body, error)
            VALUES ($id, $number, $at, $code, $ms, $headers, $body, $error) ON CONFLICT DO NOTHING
            """);
        var a = insert.Parameters;
        a.AddWithValue("$id", attempt.MessageId);
        a.AddWithValue("$number", attempt.Number);
        a.AddWithValue("$at", attempt.At.ToUnixTimeMilliseconds());
        a.AddWithValue("$code", (object?)attempt.StatusCode ?? DBNull.Value);
        a.AddWithValue("$ms", attempt.DurationMs);
        a.AddWithValue("$headers", JsonSerializer.Serialize(attempt.ResponseHeaders));
        a.AddWithValue("$body", (object?)attempt.ResponseBody ?? DBNull.Value);
        a.AddWithValue("$error", (object?)attempt.Error ?? DBNull.Value);
        return insert.ExecuteNonQuery();
    }, cancellationToken);

    public Task ReleaseAsync(string messageId, DateTimeOffset dueAt, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("UPDATE outbound_messages SET lease_until = NULL, lease_holder = NULL, next_attempt_at = $due WHERE message_id = $id AND status = 0");
        command.Parameters.AddWithValue("$id", messageId);
        command.Parameters.AddWithValue("$due", dueAt.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery();
    }, cancellationToken);

    public Task ReleaseAllAsync(string holder, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        // One host sends on SQLite: whatever an earlier run held is free now.
        return ctx.Command("UPDATE outbound_messages SET lease_until = NULL, lease_holder = NULL WHERE lease_until IS NOT NULL").ExecuteNonQuery();
    }, cancellationToken);

    public Task<int> RetryAsync(string destinationId, IReadOnlyCollection<string>? messageIds, OutboundStatus? status, DateTimeOffset now, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(ctx =>
        {
            var ids = messageIds?.ToList();
            var command = ctx.Command($"""
                UPDATE outbound_messages SET status = 0, attempts = 0, next_attempt_at = $now, lease_until = NULL, lease_holder = NULL
                WHERE destination_id = $destination AND status <> 0
                  {(status is null ? "" : "AND status = $status")}
                  {(ids is null ? "" : $"AND message_id IN ({string.Join(',', ids.Select((_, i) => $"$m{i}"))})")}
                """);
            var p = command.Parameters;
            p.AddWithValue("$destination", destinationId);
            p.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            if (status is { } s) p.AddWithValue("$status", (int)s);
            for (var i = 0; ids is not null && i < ids.Count; i++) p.AddWithValue($"$m{i}", ids[i]);
            return ids is { Count: 0 } ? 0 : command.ExecuteNonQuery();
        }, cancellationToken);

    /// <summary>The destination's hourly counters, in the same write as the attempt.</summary>
    static void CountAttempt(SqliteWriteContext ctx, string destinationId, OutboundAttempt attempt)
    {
        var bucket = DestinationHealthCounts.BucketOf(attempt.DurationMs);
        var command = ctx.Command($$"""
            INSERT INTO destination_stats (destination_id, hour, attempts, succeeded, latency, last_attempt_at, last_status_code)
            VALUES ($destination, $hour, 1, $ok, json_set('[0,0,0,0,0,0,0,0,0,0,0,0]', '$[{{bucket}}]', 1), $at, $code)
            ON CONFLICT (destination_id, hour) DO UPDATE SET
                attempts = attempts + 1, succeeded = succeeded + excluded.succeeded,
                latency = json_set(latency, '$[{{bucket}}]', json_extract(latency, '$[{{bucket}}]') + 1),
                last_attempt_at = max(last_attempt_at, excluded.last_attempt_at),
                last_status_code = CASE WHEN excluded.last_attempt_at >= last_attempt_at THEN excluded.last_status_code ELSE last_status_code END
            """);
        var p = command.Parameters;
        p.AddWithValue("$destination", destinationId);
        p.AddWithValue("$hour", attempt.At.ToUnixTimeSeconds() / 3600);
        p.AddWithValue("$ok", attempt.Succeeded ? 1 : 0);
        p.AddWithValue("$at", attempt.At.ToUnixTimeMilliseconds());
        p.AddWithValue("$code", (object?)attempt.StatusCode ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    internal static List<OutboundMessage> ReadAll(SqliteCommand command)
    {
        var list = new List<OutboundMessage>();
        using var r = command.ExecuteReader();
        while (r.Read()) list.Add(Read(r));
        return list;
    }

    static OutboundMessage Read(SqliteDataReader r)
    {
        static DateTimeOffset? At(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(i));
        return new OutboundMessage
        {
            MessageId = r.GetString(0),
            DestinationId = r.GetString(1),
            EventId = r.GetString(2),
            OrderKey = r.IsDBNull(3) ? null : r.GetString(3),
            Status = (OutboundStatus)r.GetInt32(4),
            Attempts = r.GetInt32(5),
            TotalAttempts = r.GetInt32(6),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
            NextAttemptAt = At(r, 8),
            LastAttemptAt = At(r, 9),
            LastStatusCode = r.IsDBNull(10) ? null : r.GetInt32(10),
            LastError = r.IsDBNull(11) ? null : r.GetString(11),
        };
    }
}
