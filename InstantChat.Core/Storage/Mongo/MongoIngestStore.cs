using InstantChat.Core.Processing;
using InstantChat.Core.Stats;
using InstantChat.Core.Webhooks;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// The processor's commit on MongoDB, as one transaction: the new events (their keys read in the
/// same snapshot), their business writes, the failed first attempts, the delivery records, the stats
/// and the log batch marked done — while this host still holds it. So a batch is applied exactly
/// once, stats included, even when a lease ran out and another host took the batch meanwhile.
/// </summary>
public sealed class MongoIngestStore(MongoDatabase db, MongoLogConsumer log) : IIngestStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public async Task<IReadOnlyList<CommitResult>> CommitAsync(IReadOnlyList<IngestBatch> batches, LogBatch? taken, CancellationToken cancellationToken)
    {
        try
        {
            using var session = await db.Client.StartSessionAsync(cancellationToken: cancellationToken);
            return await session.WithTransactionAsync((s, ct) => CommitInAsync(s, batches, taken, ct),
                new TransactionOptions(writeConcern: WriteConcern.WMajority.With(journal: true)), cancellationToken);
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            // Nothing of the batch is stored; the log still holds it (or the lease returns it).
            throw new StoreUnavailableException($"MongoDB commit failed: {ex.Message}", ex);
        }
    }

    async Task<IReadOnlyList<CommitResult>> CommitInAsync(IClientSessionHandle s, IReadOnlyList<IngestBatch> batches, LogBatch? taken, CancellationToken ct)
    {
        var keys = batches.SelectMany(b => b.Events).Select(e => (BsonValue)e.DeduplicationKey).Distinct().ToList();
        // Which keys are stored already, and where they came from: a replay points to that delivery.
        var firstDelivery = keys.Count == 0 ? [] : (await db.Events.Find(s, F.In("dedupKey", keys)).ToListAsync(ct))
            .ToDictionary(d => d["dedupKey"].AsString, d => d["deliveryId"].AsString, StringComparer.Ordinal);
        var results = new CommitResult[batches.Count];
        var inserted = new List<WebhookEvent>();
        var writes = new List<BusinessWrite>();
        var deliveries = new List<BsonDocument>();
        var replays = new List<string>();
        for (var b = 0; b < batches.Count; b++)
        {
            var (events, batchWrites, delivery) = (batches[b].Events, batches[b].Writes, batches[b].Delivery);
            var mine = new List<WebhookEvent>();
            for (var i = 0; i < events.Count; i++)
            {
                if (!firstDelivery.TryAdd(events[i].DeduplicationKey, delivery.DeliveryId)) continue;
                mine.Add(events[i]);
                if (batchWrites?[i] is { } write) writes.Add(write);
            }
            inserted.AddRange(mine);
            results[b] = new CommitResult(mine, events.Count - mine.Count);
            var sameAs = mine.Count == 0 && events.Count > 0 ? firstDelivery[events[0].DeduplicationKey] : null;
            if (sameAs is not null && taken is not null) replays.Add(delivery.DeliveryId);
            deliveries.Add(new BsonDocument
            {
                { "_id", delivery.DeliveryId },
                { "receivedAt", delivery.ReceivedAt.ToUnixTimeMilliseconds() },
                { "size", delivery.Size },
                { "eventCount", events.Count },
                { "duplicateCount", events.Count - mine.Count },
                { "contentType", MongoEventDocuments.Str(delivery.ContentType) },
                // The bytes are in the log document of the same id; a record fed without the log keeps them itself.
                { "body", new BsonBinaryData(taken is null && sameAs is null ? delivery.Body.ToArray() : []) },
                { "sameAs", MongoEventDocuments.Str(sameAs) },
            });
        }
        if (inserted.Count > 0) await db.Events.InsertManyAsync(s, inserted.Select(MongoEventDocuments.ToDocument), cancellationToken: ct);
        await MongoBusinessWrites.ApplyAsync(db, s, writes, ct);
        var failed = inserted.Where(e => e is { Attempts: > 0, LastError: not null, ProcessedStatus: ProcessingStatus.Pending or ProcessingStatus.Failed }).ToList();
        if (failed.Count > 0) await db.Attempts.InsertManyAsync(s, failed.Select(MongoQueueStore.FirstAttempt), cancellationToken: ct);
        await db.Deliveries.InsertManyAsync(s, deliveries, cancellationToken: ct);
        var counts = deliveries.Select(d => MongoEventDocuments.Str(d, "sameAs")).OfType<string>().CountBy(id => id)
            .Select(r => new UpdateOneModel<BsonDocument>(F.Eq("_id", r.Key), Builders<BsonDocument>.Update.Inc("replays", r.Value))).ToList();
        if (counts.Count > 0) await db.Deliveries.BulkWriteAsync(s, counts, cancellationToken: ct);
        await MongoStatsStore.ApplyAsync(db, s, new StatDeltas().ReceivedAndAttempted(inserted), ct);
        if (taken is { Entries.Count: > 0 } && !await log.MarkDoneAsync(s, taken, replays, ct))
            throw new MongoClientException("the log batch is no longer this host's (its lease ran out): another host processes it");
        return results;
    }
}
