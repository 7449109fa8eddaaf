using System.Text.Json;
using InstantChat.Core.EventModel;
using InstantChat.Core.Outbound;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>
/// Outbound messages on SQLite: created in the processor's commit (<see cref="Create"/>), sent by
/// the one host. Leases live in memory (one sender per file; a restart frees them all), so taking
/// messages is a read, and a batch of outcomes is one write: the writer's time stays with processing
/// (bench/RESULTS.md, "Forwarding").
/// </summary>
public sealed partial class SqliteOutboundStore(SqliteDatabase database, SqliteWriter writer) : IOutboundStore
{
    readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset Until, string Holder, string DestinationId)> _held = new();

    internal const string Ddl = """
        CREATE TABLE IF NOT EXISTS destinations (destination_id TEXT NOT NULL PRIMARY KEY, doc TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS outbound_messages (
            message_id       TEXT NOT NULL PRIMARY KEY,
            destination_id   TEXT NOT NULL,
            event_id         TEXT NOT NULL,
            order_key        TEXT,
            seq              TEXT NOT NULL,
            status           INTEGER NOT NULL,
            attempts         INTEGER NOT NULL DEFAULT 0,
            total_attempts   INTEGER NOT NULL DEFAULT 0,
            created_at       INTEGER NOT NULL,
            next_attempt_at  INTEGER,
            last_attempt_at  INTEGER,
            last_status_code INTEGER,
            last_error       TEXT,
            UNIQUE (event_id, destination_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS outbound_due ON outbound_messages (destination_id, next_attempt_at) WHERE status = 0;
        CREATE INDEX IF NOT EXISTS outbound_conversation ON outbound_messages (destination_id, order_key, seq) WHERE status = 0 AND order_key IS NOT NULL;
        CREATE INDEX IF NOT EXISTS outbound_list ON outbound_messages (destination_id, message_id);
        CREATE TABLE IF NOT EXISTS destination_minutes (
            destination_id   TEXT NOT NULL,
            minute           INTEGER NOT NULL,
            attempts         INTEGER NOT NULL,
            succeeded        INTEGER NOT NULL,
            latency          TEXT NOT NULL,
            last_attempt_at  INTEGER,
            last_status_code INTEGER,
            PRIMARY KEY (destination_id, minute)
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

    const string Columns = "message_id, destination_id, event_id, order_key, seq, status, attempts, total_attempts, created_at, next_attempt_at, last_attempt_at, last_status_code, last_error";

    /// <summary>
    /// In the processor's commit: one message per new event and destination (a second one for the
    /// same pair is ignored), due at once. Its id and creation time are the event's arrival, so the
    /// newest-first list follows the events.
    /// </summary>
    internal static void Create(SqliteWriteContext ctx, IEnumerable<(WebhookEvent Event, OutboundTarget Target, string Seq)> messages)
    {
        foreach (var (e, target, seq) in messages) Insert(ctx, e, target, seq, e.ReceivedAt, "DO NOTHING");
    }

    /// <summary>A new message due at <paramref name="now"/>; on a second one for the same event and destination, <paramref name="onConflict"/>.</summary>
    internal static void Insert(SqliteWriteContext ctx, WebhookEvent e, OutboundTarget target, string seq, DateTimeOffset now, string onConflict)
    {
        var command = ctx.Command($"""
            INSERT INTO outbound_messages (message_id, destination_id, event_id, order_key, seq, status, created_at, next_attempt_at)
            VALUES ($id, $destination, $event, $order, $seq, 0, $now, $now) ON CONFLICT (event_id, destination_id) {onConflict}
            """);
        var p = command.Parameters;
        p.AddWithValue("$id", OutboundMessage.NewId(now));
        p.AddWithValue("$destination", target.DestinationId);
        p.AddWithValue("$event", e.EventId);
        p.AddWithValue("$order", target.Ordering == Ordering.Conversation ? OutboundMessage.ConversationOf(e) : DBNull.Value);
        p.AddWithValue("$seq", seq);
        p.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    public async Task<IReadOnlyList<OutboundMessage>> TakeDueAsync(string destinationId, int max, DateTimeOffset now, DateTimeOffset leaseUntil, string holder, CancellationToken cancellationToken)
    {
        // Held: being sent, or sent and waiting for the recorder's commit (thousands at a time under load):
        // one JSON parameter, so the statement's text stays the same and SQLite keeps it prepared.
        var held = new List<string>();
        foreach (var (id, h) in _held) if (h.Until > now && h.DestinationId == destinationId) held.Add(id);
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        // With conversation ordering a message waits while an earlier one of its conversation is unfinished (held, or in backoff).
        command.CommandText = $"""
            SELECT {Columns} FROM outbound_messages m
            WHERE m.destination_id = $destination AND m.status = 0 AND m.next_attempt_at <= $now
              AND m.message_id NOT IN (SELECT value FROM json_each($held))
              AND (m.order_key IS NULL OR NOT EXISTS (
                  SELECT 1 FROM outbound_messages p
                  WHERE p.destination_id = m.destination_id AND p.status = 0 AND p.order_key = m.order_key AND p.seq < m.seq))
            ORDER BY m.next_attempt_at, m.seq LIMIT $max
            """;
        var p = command.Parameters;
        p.AddWithValue("$destination", destinationId);
        p.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        p.AddWithValue("$max", max);
        p.AddWithValue("$held", JsonSerializer.Serialize(held, HeldJson.Default.ListString));
        var due = ReadAll(command);
        var mine = new List<OutboundMessage>(due.Count);
        var lease = (leaseUntil, holder, destinationId);
        // Two takers at once (a test, a second dispatcher): the first to hold a message keeps it.
        bool Hold(OutboundMessage m) => _held.AddOrUpdate(m.MessageId, lease, (_, old) => old.Until > now ? old : lease) == lease;
        var room = max - due.Count;
        foreach (var m in due)
        {
            if (!Hold(m)) continue;
            mine.Add(m);
            if (m.OrderKey is null || room <= 0) continue;
            // A conversation's due messages after its first, in order: sent one after the other without a
            // commit and a take between each (a busy conversation after an outage drained at ~25 a second).
            foreach (var next in Successors(connection, m, Math.Min(room, ChainMax)))
            {
                if (next.NextAttemptAt > now || !Hold(next)) break;
                mine.Add(next);
                room--;
            }
        }
        return mine;
    }

    const int ChainMax = 64;

    static List<OutboundMessage> Successors(SqliteConnection connection, OutboundMessage first, int max)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT {Columns} FROM outbound_messages
            WHERE destination_id = $destination AND status = 0 AND order_key = $order AND seq > $seq
            ORDER BY seq LIMIT $max
            """;
        command.Parameters.AddWithValue("$destination", first.DestinationId);
        command.Parameters.AddWithValue("$order", first.OrderKey);
        command.Parameters.AddWithValue("$seq", first.Seq);
        command.Parameters.AddWithValue("$max", max);
        return ReadAll(command);
    }

    public async Task RecordAsync(IReadOnlyList<(OutboundMessage Message, OutboundAttempt Attempt)> outcomes, CancellationToken cancellationToken)
    {
        if (outcomes.Count == 0) return;
        try
        {
            await writer.ExecuteAsync(ctx =>
            {
                var recorded = new List<(OutboundMessage, OutboundAttempt)>(outcomes.Count);
                foreach (var (m, attempt) in outcomes)
                    if (Record(ctx, m, attempt)) recorded.Add((m, attempt));
                foreach (var minute in DestinationMinutes.Of(recorded)) CountMinute(ctx, minute);
                return recorded.Count;
            }, cancellationToken);
        }
        finally
        {
            foreach (var (m, _) in outcomes) _held.TryRemove(m.MessageId, out _);
        }
    }

    static bool Record(SqliteWriteContext ctx, OutboundMessage m, OutboundAttempt attempt)
    {
        var update = ctx.Command("""
            UPDATE outbound_messages SET status = $status, attempts = $attempts, total_attempts = $total, next_attempt_at = $next,
                last_attempt_at = $at, last_status_code = $code, last_error = $error
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
        if (update.ExecuteNonQuery() == 0) return false; // deleted with its destination meanwhile
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
        insert.ExecuteNonQuery();
        return true;
    }

    public async Task ReleaseAsync(string messageId, DateTimeOffset dueAt, CancellationToken cancellationToken)
    {
        await writer.ExecuteAsync(ctx =>
        {
            var command = ctx.Command("UPDATE outbound_messages SET next_attempt_at = $due WHERE message_id = $id AND status = 0");
            command.Parameters.AddWithValue("$id", messageId);
            command.Parameters.AddWithValue("$due", dueAt.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        }, cancellationToken);
        _held.TryRemove(messageId, out _);
    }

    public Task ReleaseAllAsync(string holder, CancellationToken cancellationToken)
    {
        foreach (var (id, lease) in _held) if (lease.Holder == holder) _held.TryRemove(id, out _);
        return Task.CompletedTask;
    }

    public Task<int> RetryAsync(string destinationId, IReadOnlyCollection<string>? messageIds, OutboundStatus? status, DateTimeOffset now, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(ctx =>
        {
            var ids = messageIds?.ToList();
            var command = ctx.Command($"""
                UPDATE outbound_messages SET status = 0, attempts = 0, next_attempt_at = $now
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

    /// <summary>A destination's counters for one minute, added to in the same write as the attempts.</summary>
    static void CountMinute(SqliteWriteContext ctx, (string DestinationId, long Minute, DestinationHealthCounts Counts) m)
    {
        var read = ctx.Command("SELECT attempts, succeeded, latency, last_attempt_at, last_status_code FROM destination_minutes WHERE destination_id = $d AND minute = $m");
        read.Parameters.AddWithValue("$d", m.DestinationId);
        read.Parameters.AddWithValue("$m", m.Minute);
        var sum = m.Counts;
        using (var r = read.ExecuteReader())
            if (r.Read())
            {
                var before = new DestinationHealthCounts(r.GetInt64(0), r.GetInt64(1), JsonSerializer.Deserialize<long[]>(r.GetString(2)) ?? [],
                    r.IsDBNull(3) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3)), r.IsDBNull(4) ? null : r.GetInt32(4));
                sum = DestinationHealthSum.Of([(m.DestinationId, before), (m.DestinationId, m.Counts)])[m.DestinationId];
            }
        var write = ctx.Command("""
            INSERT INTO destination_minutes (destination_id, minute, attempts, succeeded, latency, last_attempt_at, last_status_code)
            VALUES ($d, $m, $attempts, $succeeded, $latency, $at, $code)
            ON CONFLICT (destination_id, minute) DO UPDATE SET attempts = excluded.attempts, succeeded = excluded.succeeded,
                latency = excluded.latency, last_attempt_at = excluded.last_attempt_at, last_status_code = excluded.last_status_code
            """);
        var p = write.Parameters;
        p.AddWithValue("$d", m.DestinationId);
        p.AddWithValue("$m", m.Minute);
        p.AddWithValue("$attempts", sum.Attempts);
        p.AddWithValue("$succeeded", sum.Succeeded);
        p.AddWithValue("$latency", JsonSerializer.Serialize(sum.Latency));
        p.AddWithValue("$at", sum.LastAttemptAt is { } at ? at.ToUnixTimeMilliseconds() : DBNull.Value);
        p.AddWithValue("$code", (object?)sum.LastStatusCode ?? DBNull.Value);
        write.ExecuteNonQuery();
    }

    public Task<int> ExpediteAsync(string destinationId, DateTimeOffset now, CancellationToken cancellationToken) => writer.ExecuteAsync(ctx =>
    {
        var command = ctx.Command("UPDATE outbound_messages SET next_attempt_at = $now WHERE destination_id = $destination AND status = 0 AND next_attempt_at > $now");
        command.Parameters.AddWithValue("$destination", destinationId);
        command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        return command.ExecuteNonQuery();
    }, cancellationToken);

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
            Seq = r.GetString(4),
            Status = (OutboundStatus)r.GetInt32(5),
            Attempts = r.GetInt32(6),
            TotalAttempts = r.GetInt32(7),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
            NextAttemptAt = At(r, 9),
            LastAttemptAt = At(r, 10),
            LastStatusCode = r.IsDBNull(11) ? null : r.GetInt32(11),
            LastError = r.IsDBNull(12) ? null : r.GetString(12),
        };
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(List<string>))]
sealed partial class HeldJson : System.Text.Json.Serialization.JsonSerializerContext;
