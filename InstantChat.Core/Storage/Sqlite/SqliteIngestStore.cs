using InstantChat.Core.People;
using InstantChat.Core.Stats;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>
/// The processor's commit on SQLite: a batch of deliveries, their events (final, or pending a retry),
/// the business writes of the new ones, the stats and the log position in one write of the SQLite
/// writer: one transaction, so the batch is in or out as a whole, and taken exactly once.
/// </summary>
public sealed class SqliteIngestStore(SqliteWriter writer) : IIngestStore
{
    const string InsertDelivery = """
        INSERT INTO deliveries (delivery_id, received_at, size, event_count, duplicate_count, content_type, body, same_as, log_seq)
        VALUES ($id, $received, $size, $events, $duplicates, $contentType, $body, $sameAs, $seq)
        """;

    public Task<IReadOnlyList<CommitResult>> CommitAsync(IReadOnlyList<IngestBatch> batches, LogBatch? taken, CancellationToken cancellationToken) =>
        writer.ExecuteAsync<IReadOnlyList<CommitResult>>(ctx =>
        {
            var results = new CommitResult[batches.Count];
            var lastRowid = SqliteEventColumns.LastRowid(ctx);
            var writesOfNew = new List<Processing.BusinessWrite>();
            var outbound = new List<(WebhookEvent, Outbound.OutboundTarget, string)>();
            for (var b = 0; b < batches.Count; b++)
            {
                var (events, writes) = (batches[b].Events, batches[b].Writes);
                var inserted = new List<WebhookEvent>(events.Count);
                for (var i = 0; i < events.Count; i++)
                {
                    var insert = ctx.Prepared(SqliteEventColumns.InsertSql);
                    SqliteEventColumns.Bind(insert, events[i], keepPayload: false); // the delivery's bytes are kept
                    if (insert.ExecuteNonQuery() != 1) continue; // a duplicate: its effect is in already
                    inserted.Add(events[i]);
                    if (writes?[i] is { } write) writesOfNew.Add(write);
                    if (batches[b].Outbound?[i] is { Count: > 0 } targets)
                    {
                        // The log's order is the processing order (delivery ids of concurrent requests need not follow it).
                        var order = batches[b].LogSeq is { } logSeq ? Outbound.OutboundMessage.LogSeqOf(logSeq, i) : Outbound.OutboundMessage.SeqOf(events[i], i);
                        foreach (var t in targets) outbound.Add((events[i], t, order));
                    }
                    if (events[i] is { Attempts: > 0, LastError: not null, ProcessedStatus: ProcessingStatus.Pending or ProcessingStatus.Failed } failed)
                        SqliteQueueStore.RecordFirstAttempt(ctx, failed);
                }
                var delivery = batches[b].Delivery;
                // A delivery that brings nothing new (Meta's retry) keeps a reference, not a second copy of the bytes.
                var sameAs = inserted.Count == 0 && batches[b].Events.Count > 0 ? FirstDeliveryOf(ctx, batches[b].Events[0].DeduplicationKey) : null;
                var command = ctx.Command(InsertDelivery);
                var p = command.Parameters;
                p.AddWithValue("$id", delivery.DeliveryId);
                p.AddWithValue("$received", delivery.ReceivedAt.ToUnixTimeMilliseconds());
                p.AddWithValue("$size", delivery.Size);
                p.AddWithValue("$events", batches[b].Events.Count);
                p.AddWithValue("$duplicates", batches[b].Events.Count - inserted.Count);
                p.AddWithValue("$contentType", (object?)delivery.ContentType ?? DBNull.Value);
                // The bytes are in the log; a record without a log position (a store fed directly) keeps them itself.
                p.AddWithValue("$body", sameAs is null && batches[b].LogSeq is null ? delivery.Body.ToArray() : []);
                p.AddWithValue("$sameAs", (object?)sameAs ?? DBNull.Value);
                p.AddWithValue("$seq", sameAs is null && batches[b].LogSeq is { } seq ? seq : DBNull.Value);
                command.ExecuteNonQuery();
                if (sameAs is not null)
                {
                    var replay = ctx.Command("UPDATE deliveries SET replays = replays + 1 WHERE delivery_id = $id");
                    replay.Parameters.AddWithValue("$id", sameAs);
                    replay.ExecuteNonQuery();
                }
                results[b] = new CommitResult(inserted, batches[b].Events.Count - inserted.Count);
            }
            SqliteBusinessWrites.Apply(ctx, writesOfNew);
            if (outbound.Count > 0) SqliteOutboundStore.Create(ctx, outbound);
            SqliteParticipantStore.Record(ctx, Participants.Seen(results.SelectMany(r => r.Inserted)));
            SqliteEventColumns.IndexTextAfter(ctx, lastRowid);
            SqliteStatsStore.Apply(ctx, new StatDeltas().ReceivedAndAttempted(results.SelectMany(r => r.Inserted)));
            if (taken is { Entries.Count: > 0 })
            {
                var position = ctx.Command("INSERT INTO processor_state (id, position) VALUES (1, $p) ON CONFLICT(id) DO UPDATE SET position = max(position, excluded.position)");
                position.Parameters.AddWithValue("$p", taken.Entries[^1].Seq);
                position.ExecuteNonQuery();
            }
            return results;
        }, cancellationToken);

    /// <summary>The processor's last committed log position (0 before its first commit).</summary>
    internal static long Position(Microsoft.Data.Sqlite.SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE((SELECT position FROM processor_state WHERE id = 1), 0)";
        return (long)command.ExecuteScalar()!;
    }

    static string? FirstDeliveryOf(SqliteWriteContext ctx, string deduplicationKey)
    {
        var find = ctx.Command("SELECT delivery_id FROM events WHERE dedup_key = $key");
        find.Parameters.AddWithValue("$key", deduplicationKey);
        return find.ExecuteScalar() as string;
    }
}
