using InstantChat.Core.Stats;
using InstantChat.Core.Webhooks;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// A group of deliveries in two round trips: their events in one unordered insertMany (duplicates
/// skipped by the unique key), then the deliveries with their counts. Both with majority + journal.
/// </summary>
public sealed class MongoIngestStore(MongoDatabase db) : IIngestStore
{
    public async Task<IReadOnlyList<CommitResult>> CommitAsync(IReadOnlyList<IngestBatch> batches, CancellationToken cancellationToken)
    {
        try
        {
            var inserted = await MongoEventInserter.InsertNewAsync(db, batches.SelectMany(b => b.Events).ToList(), cancellationToken);
            var results = batches.Select(b =>
            {
                var mine = b.Events.Where(e => inserted.Contains(e.EventId)).ToList();
                return new CommitResult(mine, b.Events.Count - mine.Count);
            }).ToList();
            // A delivery that brings nothing new (Meta's retry) keeps a reference, not a second copy of the bytes.
            var sameAs = new string?[batches.Count];
            for (var i = 0; i < batches.Count; i++)
                if (results[i].Inserted.Count == 0 && batches[i].Events.Count > 0)
                    sameAs[i] = (await db.Events.Find(Builders<BsonDocument>.Filter.Eq("dedupKey", batches[i].Events[0].DeduplicationKey))
                        .FirstOrDefaultAsync(cancellationToken))?["deliveryId"].AsString;
            var deliveries = batches.Select((b, i) => new BsonDocument
            {
                { "_id", b.Delivery.DeliveryId },
                { "receivedAt", b.Delivery.ReceivedAt.ToUnixTimeMilliseconds() },
                { "size", b.Delivery.Size },
                { "eventCount", b.Events.Count },
                { "duplicateCount", results[i].Duplicates },
                { "contentType", MongoEventDocuments.Str(b.Delivery.ContentType) },
                { "body", new BsonBinaryData(sameAs[i] is null ? b.Delivery.Body.ToArray() : []) },
                { "sameAs", MongoEventDocuments.Str(sameAs[i]) },
            });
            await db.Deliveries.InsertManyAsync(deliveries, new InsertManyOptions { IsOrdered = false }, cancellationToken);
            var replays = sameAs.OfType<string>().CountBy(id => id)
                .Select(r => new UpdateOneModel<BsonDocument>(Builders<BsonDocument>.Filter.Eq("_id", r.Key), Builders<BsonDocument>.Update.Inc("replays", r.Value)))
                .ToList();
            if (replays.Count > 0) await db.Deliveries.BulkWriteAsync(replays, cancellationToken: cancellationToken);
            await MongoStatsStore.ApplyAsync(db, new StatDeltas().Received(results.SelectMany(r => r.Inserted)), cancellationToken);
            return results;
        }
        catch (MongoException ex)
        {
            // Events already inserted are kept; Meta's retry of the delivery finds them as duplicates.
            throw new StoreUnavailableException($"MongoDB commit failed: {ex.Message}", ex);
        }
        catch (TimeoutException ex)
        {
            throw new StoreUnavailableException($"MongoDB unreachable: {ex.Message}", ex);
        }
    }
}
