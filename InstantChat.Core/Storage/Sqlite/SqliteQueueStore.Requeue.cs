using InstantChat.Core.Stats;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using Microsoft.Data.Sqlite;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>Manual retries: one finished event, or every one matching a filter, back in the queue.</summary>
public sealed partial class SqliteQueueStore
{
    public Task<RequeueResult> RequeueAsync(string eventId, DateTimeOffset now, string? by, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(ctx =>
        {
            var current = ctx.Command("SELECT status FROM events WHERE event_id = $id");
            current.Parameters.AddWithValue("$id", eventId);
            if (current.ExecuteScalar() is not string status) return RequeueResult.NotFound;
            var history = ctx.Command($"{KeepCurrentAttemptSql} AND event_id = $id");
            history.Parameters.AddWithValue("$id", eventId);
            history.ExecuteNonQuery();
            MarkRetried(ctx, "event_id = $id", now, by, c => c.Parameters.AddWithValue("$id", eventId));
            var command = ctx.Command($"{RequeueSql} AND event_id = $id");
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            command.Parameters.AddWithValue("$id", eventId);
            if (command.ExecuteNonQuery() != 1) return RequeueResult.Conflict;
            ProcessingStatuses.TryParse(status, out var from);
            SqliteStatsStore.Apply(ctx, new StatDeltas().Moved(from, ProcessingStatus.Pending, 1));
            return RequeueResult.Queued;
        }, cancellationToken);

    public Task<int> RequeueManyAsync(RequeueFilter filter, DateTimeOffset now, string? by, CancellationToken cancellationToken) =>
        writer.ExecuteAsync(ctx =>
        {
            var history = ctx.Command($"{KeepCurrentAttemptSql} AND {RequeueFilterSql}");
            BindRequeueFilter(history, filter);
            history.ExecuteNonQuery();
            MarkRetried(ctx, RequeueFilterSql, now, by, c => BindRequeueFilter(c, filter));
            var command = ctx.Command($"{RequeueSql} AND {RequeueFilterSql}");
            command.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
            BindRequeueFilter(command, filter);
            var queued = command.ExecuteNonQuery();
            SqliteStatsStore.Apply(ctx, new StatDeltas().Moved(filter.Status ?? ProcessingStatus.Failed, ProcessingStatus.Pending, queued));
            return queued;
        }, cancellationToken);

    public async Task<long> CountRequeueableAsync(RequeueFilter filter, CancellationToken cancellationToken)
    {
        await using var connection = database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT count(*) FROM events WHERE {RequeueFilterSql}";
        BindRequeueFilter(command, filter);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    // Absent filters compare a column with itself, so one prepared statement serves every filter.
    const string RequeueFilterSql = """
        status = $status AND ($type IS NULL OR event_type = $type) AND event_id >= $from AND event_id < $to
        AND ($account IS NULL OR account_id = $account) AND ($sender IS NULL OR sender_id = $sender)
        AND ($platform IS NULL OR platform = $platform)
        """;

    static void BindRequeueFilter(Microsoft.Data.Sqlite.SqliteCommand command, RequeueFilter filter)
    {
        command.Parameters.AddWithValue("$status", (filter.Status ?? ProcessingStatus.Failed).ToWire());
        command.Parameters.AddWithValue("$type", (object?)filter.EventType ?? DBNull.Value);
        command.Parameters.AddWithValue("$account", (object?)filter.AccountId ?? DBNull.Value);
        command.Parameters.AddWithValue("$sender", (object?)filter.SenderId ?? DBNull.Value);
        command.Parameters.AddWithValue("$platform", (object?)filter.Platform ?? DBNull.Value);
        command.Parameters.AddWithValue("$from", filter.From is { } from ? EventIds.MinFor(from) : "");
        command.Parameters.AddWithValue("$to", filter.To is { } to ? EventIds.MinFor(to.AddMilliseconds(1)) : "~");
    }

    // The attempt the event row holds (the processor's, when it ended well) goes into the history
    // before the row is reset, unless the history has it already.
    static readonly string KeepCurrentAttemptSql = $"""
        INSERT INTO event_attempts (event_id, attempt, started_at, finished_at, outcome, error, processing_ms)
        SELECT event_id, attempts, processed_at - CAST(COALESCE(processing_ms, 0) AS INTEGER), processed_at, status, last_error, COALESCE(processing_ms, 0)
        FROM events e
        WHERE status IN {Finished} AND attempts > 0 AND processed_at IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM event_attempts a WHERE a.event_id = e.event_id AND a.attempt = e.attempts AND a.finished_at = e.processed_at)
        """;

    /// <summary>The attempt each requeued event ends on is marked with who asked for the retry, and when.</summary>
    static void MarkRetried(SqliteWriteContext ctx, string where, DateTimeOffset now, string? by, Action<Microsoft.Data.Sqlite.SqliteCommand> bind)
    {
        var mark = ctx.Command($"""
            UPDATE event_attempts SET retried_by = $by, retried_at = $now
            WHERE (event_id, attempt, finished_at) IN (SELECT event_id, attempts, processed_at FROM events WHERE status IN {Finished} AND {where})
            """);
        mark.Parameters.AddWithValue("$by", (object?)by ?? DBNull.Value);
        mark.Parameters.AddWithValue("$now", now.ToUnixTimeMilliseconds());
        bind(mark);
        mark.ExecuteNonQuery();
    }

    // Attempts restart from zero; the ones before stay in event_attempts.
    static readonly string RequeueSql = $"""
        UPDATE events SET status = 'pending', next_attempt_at = $now, attempts = 0, processed_at = NULL,
            lease_until = NULL, lease_owner = NULL
        WHERE status IN {Finished}
        """;
}
