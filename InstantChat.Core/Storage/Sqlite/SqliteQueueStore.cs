using InstantChat.Core.Webhooks;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>
/// The queue over the events table. Every write is one IMMEDIATE transaction, so SQLite's single
/// writer lock makes a claim atomic across workers of this host.
/// </summary>
public sealed class SqliteQueueStore(SqliteDatabase database) : IQueueStore
{
    const string Finished = "('completed','failed','skipped')";

    public Task<IReadOnlyList<WebhookEvent>> ClaimAsync(int max, DateTimeOffset now, TimeSpan lease, string owner, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<WebhookEvent>>((connection, tx) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            // Expired leases first (a dead worker's events), then due pending ones, each through its partial index.
            command.CommandText = $"""
                UPDATE events SET status = 'processing', lease_until = $lease, lease_owner = $owner, attempts = attempts + 1
                WHERE event_id IN (
                    SELECT event_id FROM (SELECT event_id FROM events WHERE status = 'processing' AND lease_until < $now ORDER BY lease_until LIMIT $max)
                    UNION ALL
                    SELECT event_id FROM (SELECT event_id FROM events WHERE status = 'pending' AND next_attempt_at <= $now ORDER BY next_attempt_at LIMIT $max)
                    LIMIT $max)
                RETURNING {SqliteEventColumns.Select}
                """;
            command.Parameters.AddWithValue("$lease", (now + lease).ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$owner", owner);
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$max", max);
            return ReadAll(command);
        }, cancellationToken);

    public Task<IReadOnlyList<WebhookEvent>> CompleteAsync(IReadOnlyList<AttemptOutcome> outcomes, string owner, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<WebhookEvent>>((connection, tx) =>
        {
            using var update = connection.CreateCommand();
            update.Transaction = tx;
            update.CommandText = $"""
                UPDATE events SET status = $status, last_error = $error, processed_at = $processedAt, processing_ms = $ms,
                    next_attempt_at = $next, lease_until = NULL, lease_owner = NULL
                WHERE event_id = $id AND status = 'processing' AND lease_owner = $owner
                RETURNING {SqliteEventColumns.Select}
                """;
            using var history = connection.CreateCommand();
            history.Transaction = tx;
            history.CommandText = """
                INSERT INTO event_attempts (event_id, attempt, started_at, finished_at, outcome, error, processing_ms)
                VALUES ($id, $attempt, $started, $finished, $outcome, $error, $ms)
                """;
            var written = new List<WebhookEvent>(outcomes.Count);
            foreach (var o in outcomes)
            {
                var final = o.Status != ProcessingStatus.Pending;
                update.Parameters.Clear();
                update.Parameters.AddWithValue("$status", o.Status.ToWire());
                update.Parameters.AddWithValue("$error", (object?)o.Error ?? DBNull.Value);
                update.Parameters.AddWithValue("$processedAt", final ? o.FinishedAt.ToUnixTimeMilliseconds() : DBNull.Value);
                update.Parameters.AddWithValue("$ms", o.ProcessingMs);
                update.Parameters.AddWithValue("$next", o.NextAttemptAt is { } next ? next.ToUnixTimeMilliseconds() : DBNull.Value);
                update.Parameters.AddWithValue("$id", o.Event.EventId);
                update.Parameters.AddWithValue("$owner", owner);
                var rows = ReadAll(update);
                if (rows.Count == 0) continue; // lease lost: another worker owns this attempt now
                written.Add(rows[0]);
                history.Parameters.Clear();
                history.Parameters.AddWithValue("$id", o.Event.EventId);
                history.Parameters.AddWithValue("$attempt", o.Event.Attempts);
                history.Parameters.AddWithValue("$started", o.StartedAt.ToUnixTimeMilliseconds());
                history.Parameters.AddWithValue("$finished", o.FinishedAt.ToUnixTimeMilliseconds());
                history.Parameters.AddWithValue("$outcome", o.Status.ToWire());
                history.Parameters.AddWithValue("$error", (object?)o.Error ?? DBNull.Value);
                history.Parameters.AddWithValue("$ms", o.ProcessingMs);
                history.ExecuteNonQuery();
            }
            return written;
        }, cancellationToken);

    public Task<RequeueResult> RequeueAsync(string eventId, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((connection, tx) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = $"{RequeueSql} AND event_id = $id";
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$id", eventId);
            if (command.ExecuteNonQuery() == 1) return RequeueResult.Queued;
            command.CommandText = "SELECT count(*) FROM events WHERE event_id = $id";
            return (long)command.ExecuteScalar()! == 0 ? RequeueResult.NotFound : RequeueResult.Conflict;
        }, cancellationToken);

    public Task<int> RequeueManyAsync(RequeueFilter filter, DateTimeOffset now, CancellationToken cancellationToken) =>
        WriteAsync((connection, tx) =>
        {
            using var command = connection.CreateCommand();
            command.Transaction = tx;
            var sql = $"{RequeueSql} AND status = $status";
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$status", (filter.Status ?? ProcessingStatus.Failed).ToWire());
            if (filter.EventType is { } type) { sql += " AND event_type = $type"; command.Parameters.AddWithValue("$type", type); }
            if (filter.From is { } from) { sql += " AND event_id >= $from"; command.Parameters.AddWithValue("$from", EventIds.MinFor(from)); }
            if (filter.To is { } to) { sql += " AND event_id < $to"; command.Parameters.AddWithValue("$to", EventIds.MinFor(to.AddMilliseconds(1))); }
            command.CommandText = sql;
            return command.ExecuteNonQuery();
        }, cancellationToken);

    // Attempts restart from zero; the ones before stay in event_attempts.
    static readonly string RequeueSql = $"""
        UPDATE events SET status = 'pending', next_attempt_at = $now, attempts = 0, processed_at = NULL,
            lease_until = NULL, lease_owner = NULL
        WHERE status IN {Finished}
        """;

    public async Task<long> QueueLengthAsync(CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT (SELECT count(*) FROM events WHERE status = 'pending') + (SELECT count(*) FROM events WHERE status = 'processing')
            """;
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public Task<IReadOnlyList<WebhookEvent>> EnqueueAsync(IReadOnlyList<WebhookEvent> events, CancellationToken cancellationToken) =>
        WriteAsync<IReadOnlyList<WebhookEvent>>((connection, tx) =>
        {
            using var insert = connection.CreateCommand();
            insert.Transaction = tx;
            insert.CommandText = SqliteEventColumns.InsertSql;
            SqliteEventColumns.AddParameters(insert);
            var added = new List<WebhookEvent>(events.Count);
            foreach (var e in events)
            {
                SqliteEventColumns.Bind(insert, e);
                if (insert.ExecuteNonQuery() == 1) added.Add(e);
            }
            return added;
        }, cancellationToken);

    public async Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT attempt, started_at, finished_at, outcome, error, processing_ms FROM event_attempts
            WHERE event_id = $id ORDER BY started_at
            """;
        command.Parameters.AddWithValue("$id", eventId);
        var list = new List<AttemptRecord>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            list.Add(new AttemptRecord(r.GetInt32(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
                ProcessingStatuses.TryParse(r.GetString(3), out var s) ? s : ProcessingStatus.Failed,
                r.IsDBNull(4) ? null : r.GetString(4), r.GetDouble(5)));
        return list;
    }

    Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, T> work, CancellationToken cancellationToken) =>
        SqliteWrites.RunAsync(database, work, cancellationToken);

    static List<WebhookEvent> ReadAll(SqliteCommand command)
    {
        var list = new List<WebhookEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) list.Add(SqliteEventColumns.Read(reader));
        return list;
    }
}
