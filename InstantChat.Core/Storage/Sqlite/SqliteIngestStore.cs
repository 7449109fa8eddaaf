using InstantChat.Core.Stats;
using InstantChat.Core.Webhooks;

namespace InstantChat.Core.Storage.Sqlite;

/// <summary>The group-commit side of ingest: deliveries and their events in one write of the SQLite writer.</summary>
public sealed class SqliteIngestStore(SqliteWriter writer) : IIngestStore
{
    const string InsertDelivery = """
        INSERT INTO deliveries (delivery_id, received_at, size, event_count, duplicate_count, content_type, body)
        VALUES ($id, $received, $size, $events, $duplicates, $contentType, $body)
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
                var command = ctx.Command(InsertDelivery);
                var p = command.Parameters;
                p.AddWithValue("$id", delivery.DeliveryId);
                p.AddWithValue("$received", delivery.ReceivedAt.ToUnixTimeMilliseconds());
                p.AddWithValue("$size", delivery.Size);
                p.AddWithValue("$events", batches[b].Events.Count);
                p.AddWithValue("$duplicates", batches[b].Events.Count - inserted.Count);
                p.AddWithValue("$contentType", (object?)delivery.ContentType ?? DBNull.Value);
                p.AddWithValue("$body", delivery.Body.ToArray());
                command.ExecuteNonQuery();
                results[b] = new CommitResult(inserted, batches[b].Events.Count - inserted.Count);
            }
            SqliteStatsStore.Apply(ctx, new StatDeltas().Received(results.SelectMany(r => r.Inserted)));
            return results;
        }, cancellationToken);
}
