using InstantChat.Core.Stats;
using InstantChat.Core.Webhooks;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>The group-commit side of ingest: deliveries and their events in one write of the SQLite writer.</summary>
public sealed class SqliteIngestStore(SqliteWriter writer) : IIngestStore
{
    const string InsertDelivery = """
        INSERT INTO deliveries (delivery_id, received_at, size, event_count, duplicate_count, content_type, body, same_as)
        VALUES ($id, $received, $size, $events, $duplicates, $contentType, $body, $sameAs)
        """;

    public Task<IReadOnlyList<CommitResult>> CommitAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken) =>
        writer.ExecuteAsync<IReadOnlyList<CommitResult>>(ctx =>
        {
            var results = new CommitResult[batches.Count];
            for (var b = 0; b < batches.Count; b++)
            {
                var inserted = new List<WebhookEvent>(batches[b].Events.Count);
                foreach (var e in batches[b].Events)
                {
                    var insert = ctx.Prepared(SqliteEventColumns.InsertSql);
                    SqliteEventColumns.Bind(insert, e);
                    if (insert.ExecuteNonQuery() == 1) inserted.Add(e);
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
                p.AddWithValue("$body", sameAs is null ? delivery.Body.ToArray() : []);
                p.AddWithValue("$sameAs", (object?)sameAs ?? DBNull.Value);
                command.ExecuteNonQuery();
                if (sameAs is not null)
                {
                    var replay = ctx.Command("UPDATE deliveries SET replays = replays + 1 WHERE delivery_id = $id");
                    replay.Parameters.AddWithValue("$id", sameAs);
                    replay.ExecuteNonQuery();
                }
                results[b] = new CommitResult(inserted, batches[b].Events.Count - inserted.Count);
            }
            SqliteStatsStore.Apply(ctx, new StatDeltas().Received(results.SelectMany(r => r.Inserted)));
            return results;
        }, cancellationToken);

    static string? FirstDeliveryOf(SqliteWriteContext ctx, string deduplicationKey)
    {
        var find = ctx.Command("SELECT delivery_id FROM events WHERE dedup_key = $key");
        find.Parameters.AddWithValue("$key", deduplicationKey);
        return find.ExecuteScalar() as string;
    }
}
