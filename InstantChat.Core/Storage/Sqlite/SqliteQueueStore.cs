using InstantChat.Core.Stats;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>
/// The queue over the events table. Every write is one IMMEDIATE transaction, so SQLite's single
/// writer lock makes a claim atomic across workers of this host.
/// </summary>
public sealed partial class SqliteQueueStore(SqliteDatabase database, SqliteWriter writer) : IQueueStore
{
    const string Finished = "('completed','failed','skipped')";

    public Task<IReadOnlyList<WebhookEvent>> ClaimAsync(ClaimRequest request, CancellationToken cancellationToken) =>
        writer.ExecuteAsync<IReadOnlyList<WebhookEvent>>(ctx =>
        {
            // Inside the single writer, reading the candidates and updating them is one atomic step.
            var ids = request.EventIds is { } only ? $" AND event_id IN ({string.Join(',', only.Select((_, i) => $"$e{i}"))})" : "";
            var find = ctx.Command($"""
                SELECT event_id, account_id, 0 FROM (SELECT event_id, account_id FROM events WHERE status = 'processing' AND lease_until < $now{ids} ORDER BY lease_until LIMIT $n)
                UNION ALL
                SELECT event_id, account_id, 1 FROM (SELECT event_id, account_id FROM events WHERE status = 'pending' AND next_attempt_at <= $now{ids} ORDER BY next_attempt_at LIMIT $n)
                """);
            find.Parameters.AddWithValue("$now", request.Now.ToUnixTimeMilliseconds());
            find.Parameters.AddWithValue("$n", request.CandidateCount);
            var i = 0;
            foreach (var id in request.EventIds ?? []) find.Parameters.AddWithValue($"$e{i++}", id);
            var candidates = new List<(string, string?)>();
            var fromPending = new HashSet<string>(StringComparer.Ordinal);
            using (var r = find.ExecuteReader())
                while (r.Read())
                {
                    candidates.Add((r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1)));
                    if (r.GetInt64(2) == 1) fromPending.Add(r.GetString(0));
                }
            var chosen = request.Select(candidates);
            if (chosen.Count == 0) return [];

            var claim = ctx.Command($"""
                UPDATE events SET status = 'processing', lease_until = $lease, lease_owner = $owner, attempts = attempts + 1
                WHERE event_id IN ({string.Join(',', chosen.Select((_, j) => $"$c{j}"))})
                RETURNING {SqliteEventColumns.Select}
                """);
            claim.Parameters.AddWithValue("$lease", (request.Now + request.Lease).ToUnixTimeMilliseconds());
            claim.Parameters.AddWithValue("$owner", request.Owner);
            for (var j = 0; j < chosen.Count; j++) claim.Parameters.AddWithValue($"$c{j}", chosen[j]);
            // Candidates still processing were reclaimed from an expired lease: their status does not change.
            var claimed = ReadAll(claim);
            SqliteStatsStore.Apply(ctx, new StatDeltas().Moved(ProcessingStatus.Pending, ProcessingStatus.Processing, claimed.Count(e => fromPending.Contains(e.EventId))));
            return claimed;
        }, cancellationToken);

    public Task<IReadOnlyList<WebhookEvent>> CompleteAsync(IReadOnlyList<AttemptOutcome> outcomes, string owner, CancellationToken cancellationToken) =>
        writer.ExecuteAsync<IReadOnlyList<WebhookEvent>>(ctx =>
        {
            var written = new List<WebhookEvent>(outcomes.Count);
            var deltas = new StatDeltas();
            foreach (var o in outcomes)
            {
                var final = o.Status != ProcessingStatus.Pending;
                var update = ctx.Command(CompleteSql);
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
                if (o.Outbound is { Count: > 0 } targets) SqliteOutboundStore.Create(ctx, targets.Select(t => (rows[0], t, Outbound.OutboundMessage.SeqOf(rows[0], null))));
                deltas.Finished(o.Event, o.Status, o.FinishedAt, o.ProcessingMs);
                var history = ctx.Command(HistorySql);
                history.Parameters.AddWithValue("$id", o.Event.EventId);
                history.Parameters.AddWithValue("$attempt", o.Event.Attempts);
                history.Parameters.AddWithValue("$started", o.StartedAt.ToUnixTimeMilliseconds());
                history.Parameters.AddWithValue("$finished", o.FinishedAt.ToUnixTimeMilliseconds());
                history.Parameters.AddWithValue("$outcome", o.Status.ToWire());
                history.Parameters.AddWithValue("$error", (object?)o.Error ?? DBNull.Value);
                history.Parameters.AddWithValue("$ms", o.ProcessingMs);
                history.ExecuteNonQuery();
            }
            SqliteStatsStore.Apply(ctx, deltas);
            return written;
        }, cancellationToken);

    static readonly string CompleteSql = $"""
                UPDATE events SET status = $status, last_error = $error, processed_at = $processedAt, processing_ms = $ms,
                    next_attempt_at = $next, lease_until = NULL, lease_owner = NULL
                WHERE event_id = $id AND status = 'processing' AND lease_owner = $owner
                RETURNING {SqliteEventColumns.Select}
                """;

    const string HistorySql = """
        INSERT INTO event_attempts (event_id, attempt, started_at, finished_at, outcome, error, processing_ms)
        VALUES ($id, $attempt, $started, $finished, $outcome, $error, $ms)
        """;

    /// <summary>A first attempt (the processor's) that failed goes into the history before any retry overwrites the row.</summary>
    internal static void RecordFirstAttempt(SqliteWriteContext ctx, WebhookEvent e)
    {
        var finished = e.ProcessedAt ?? e.ReceivedAt;
        var history = ctx.Command(HistorySql);
        history.Parameters.AddWithValue("$id", e.EventId);
        history.Parameters.AddWithValue("$attempt", e.Attempts);
        history.Parameters.AddWithValue("$started", (finished - TimeSpan.FromMilliseconds(e.ProcessingMs ?? 0)).ToUnixTimeMilliseconds());
        history.Parameters.AddWithValue("$finished", finished.ToUnixTimeMilliseconds());
        history.Parameters.AddWithValue("$outcome", e.ProcessedStatus.ToWire());
        history.Parameters.AddWithValue("$error", (object?)e.LastError ?? DBNull.Value);
        history.Parameters.AddWithValue("$ms", e.ProcessingMs ?? 0);
        history.ExecuteNonQuery();
    }

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
        writer.ExecuteAsync<IReadOnlyList<WebhookEvent>>(ctx =>
        {
            var added = new List<WebhookEvent>(events.Count);
            var lastRowid = SqliteEventColumns.LastRowid(ctx);
            foreach (var e in events)
            {
                var insert = ctx.Prepared(SqliteEventColumns.InsertSql);
                SqliteEventColumns.Bind(insert, e);
                if (insert.ExecuteNonQuery() == 1) added.Add(e);
            }
            SqliteEventColumns.IndexTextAfter(ctx, lastRowid);
            SqliteStatsStore.Apply(ctx, new StatDeltas().Received(added));
            return added;
        }, cancellationToken);

    public async Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        WebhookEvent? current;
        await using (var row = connection.CreateCommand())
        {
            row.CommandText = $"SELECT {SqliteEventColumns.Select} FROM events WHERE event_id = $id";
            row.Parameters.AddWithValue("$id", eventId);
            current = ReadAll(row).SingleOrDefault();
        }
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT attempt, started_at, finished_at, outcome, error, processing_ms, retried_by, retried_at FROM event_attempts
            WHERE event_id = $id ORDER BY started_at
            """;
        command.Parameters.AddWithValue("$id", eventId);
        var list = new List<AttemptRecord>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
            list.Add(new AttemptRecord(r.GetInt32(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
                DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(2)),
                ProcessingStatuses.TryParse(r.GetString(3), out var s) ? s : ProcessingStatus.Failed,
                r.IsDBNull(4) ? null : r.GetString(4), r.GetDouble(5),
                r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7))));
        return AttemptHistory.WithCurrent(list, current);
    }

    static List<WebhookEvent> ReadAll(SqliteCommand command)
    {
        var list = new List<WebhookEvent>();
        using var reader = command.ExecuteReader();
        while (reader.Read()) list.Add(SqliteEventColumns.Read(reader));
        return list;
    }
}
