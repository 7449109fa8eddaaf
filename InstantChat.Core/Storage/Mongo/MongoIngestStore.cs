using InstantChat.Core.Processing;
using InstantChat.Core.Stats;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// The processor's commit on MongoDB, as idempotent steps rather than one transaction, so a batch
/// retried after a crash, or taken over by another host whose lease it outlived, ends the same:
/// an event belongs to the first delivery that stored it (a retry of that delivery finds it as its
/// own); business writes are commutative upserts; delivery records are upserts; and each delivery's
/// stats are claimed once by a token on its record, then applied. The log batch is marked done last.
/// (Transactions would make this one step on a real replica set, but the MongoDB-wire server the
/// tests run loses writes of concurrent transactions; these steps are right on both.)
/// </summary>
public sealed class MongoIngestStore(MongoDatabase db, MongoLogConsumer log) : IIngestStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;
    static readonly UpdateDefinitionBuilder<BsonDocument> U = Builders<BsonDocument>.Update;

    public async Task<IReadOnlyList<CommitResult>> CommitAsync(IReadOnlyList<IngestBatch> batches, LogBatch? taken, CancellationToken cancellationToken)
    {
        try
        {
            var results = await CommitStepsAsync(batches, cancellationToken);
            if (taken is { Entries.Count: > 0 }) await log.MarkDoneAsync(taken, ReplaysOf(batches, results), cancellationToken);
            return results;
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            // What was written stays and is found again by the next taker; the log gives it the batch.
            if (taken is not null) await log.ReleaseAsync(taken, CancellationToken.None);
            throw new StoreUnavailableException($"MongoDB commit failed: {ex.Message}", ex);
        }
    }

    static IEnumerable<string> ReplaysOf(IReadOnlyList<IngestBatch> batches, IReadOnlyList<CommitResult> results) =>
        batches.Where((_, i) => results[i] is { Inserted.Count: 0, Duplicates: > 0 }).Select(b => b.Delivery.DeliveryId);

    async Task<IReadOnlyList<CommitResult>> CommitStepsAsync(IReadOnlyList<IngestBatch> batches, CancellationToken ct)
    {
        // 1. Events: the ones whose key no delivery stored yet, and the ones an earlier try of the same delivery did.
        var owners = await OwnersAsync(batches.SelectMany(b => b.Events).Select(e => e.DeduplicationKey), ct);
        var fresh = new List<WebhookEvent>();
        foreach (var b in batches)
            foreach (var e in b.Events)
                if (owners.TryAdd(e.DeduplicationKey, (b.Delivery.DeliveryId, e.EventId))) fresh.Add(e);
        if (fresh.Count > 0)
        {
            var lost = await InsertAsync(fresh, ct);
            // Another host stored some of these keys first: theirs, then.
            if (lost.Count > 0) foreach (var (key, owner) in await OwnersAsync(lost, ct)) owners[key] = owner;
        }
        var results = new CommitResult[batches.Count];
        var mine = new List<(IngestBatch Batch, List<WebhookEvent> Events, List<BusinessWrite> Writes)>();
        var outbound = new List<(WebhookEvent, Outbound.OutboundTarget, int?)>();
        for (var i = 0; i < batches.Count; i++)
        {
            var (b, events, writes) = (batches[i], new List<WebhookEvent>(), new List<BusinessWrite>());
            for (var j = 0; j < b.Events.Count; j++)
            {
                var (delivery, eventId) = owners[b.Events[j].DeduplicationKey];
                // The first occurrence in this delivery only: the same update twice in one body is one event.
                if (delivery != b.Delivery.DeliveryId || events.Any(e => e.DeduplicationKey == b.Events[j].DeduplicationKey)) continue;
                events.Add(b.Events[j] with { EventId = eventId });
                if (b.Writes?[j] is { } write) writes.Add(write);
                if (b.Outbound?[j] is { Count: > 0 } targets) foreach (var t in targets) outbound.Add((events[^1], t, j));
            }
            results[i] = new CommitResult(events, b.Events.Count - events.Count);
            mine.Add((b, events, writes));
        }
        // 2. Their effects: commutative upserts, safe to repeat.
        await MongoBusinessWrites.ApplyAsync(db, null, mine.SelectMany(m => m.Writes).ToList(), ct);
        // Before the batch is marked done: taken again after a crash, the same upserts add nothing.
        await MongoOutboundStore.CreateAsync(db, outbound, ct);
        await MongoParticipantStore.RecordAsync(db, People.Participants.Seen(mine.SelectMany(m => m.Events)), ct);
        var failed = mine.SelectMany(m => m.Events).Where(e => e is { Attempts: > 0, LastError: not null, ProcessedStatus: ProcessingStatus.Pending or ProcessingStatus.Failed })
            .Select(e => new ReplaceOneModel<BsonDocument>(F.Eq("_id", MongoQueueStore.AttemptId(e)), MongoQueueStore.AttemptDocument(e)) { IsUpsert = true }).ToList();
        if (failed.Count > 0) await db.Attempts.BulkWriteAsync(failed, new BulkWriteOptions { IsOrdered = false }, ct);
        // 3. The delivery records (upserts), then each delivery's stats, claimed once by a token.
        await db.Deliveries.BulkWriteAsync(mine.Select(m => Record(m.Batch, m.Events.Count, owners)), new BulkWriteOptions { IsOrdered = false }, ct);
        var token = Guid.NewGuid().ToString("N");
        var ids = mine.Select(m => (BsonValue)m.Batch.Delivery.DeliveryId).ToList();
        await db.Deliveries.UpdateManyAsync(F.And(F.In("_id", ids), F.Eq("counted", BsonNull.Value)), U.Set("counted", token), cancellationToken: ct);
        var claimed = (await db.Deliveries.Find(F.And(F.In("_id", ids), F.Eq("counted", token))).ToListAsync(ct)).ToDictionary(d => d["_id"].AsString, d => d);
        var counted = mine.Where(m => claimed.ContainsKey(m.Batch.Delivery.DeliveryId)).ToList();
        await MongoStatsStore.ApplyAsync(db, new StatDeltas().ReceivedAndAttempted(counted.SelectMany(m => m.Events)), ct);
        var replays = counted.Select(m => MongoEventDocuments.Str(claimed[m.Batch.Delivery.DeliveryId], "sameAs")).OfType<string>().CountBy(id => id)
            .Select(r => new UpdateOneModel<BsonDocument>(F.Eq("_id", r.Key), U.Inc("replays", r.Value))).ToList();
        if (replays.Count > 0) await db.Deliveries.BulkWriteAsync(replays, cancellationToken: ct);
        return results;
    }

    async Task<Dictionary<string, (string Delivery, string EventId)>> OwnersAsync(IEnumerable<string> keys, CancellationToken ct)
    {
        var list = keys.Distinct().Select(k => (BsonValue)k).ToList();
        return list.Count == 0 ? new(StringComparer.Ordinal)
            : (await db.Events.Find(F.In("dedupKey", list)).ToListAsync(ct))
                .ToDictionary(d => d["dedupKey"].AsString, d => (d["deliveryId"].AsString, d["_id"].AsString), StringComparer.Ordinal);
    }

    /// <summary>Without the update's JSON: the delivery's bytes are in the log, and readers cut it out of them (<see cref="UpdatePayloads"/>).</summary>
    static BsonDocument Stored(WebhookEvent e) => MongoEventDocuments.ToDocument(e with { Payload = null });

    /// <summary>Inserts what it can; returns the keys another host stored first.</summary>
    async Task<List<string>> InsertAsync(List<WebhookEvent> events, CancellationToken ct)
    {
        try
        {
            await db.Events.InsertManyAsync(events.Select(Stored), new InsertManyOptions { IsOrdered = false }, ct);
            return [];
        }
        catch (Exception ex) when (MongoDatabase.IsDuplicateKey(ex))
        {
            // Servers differ in what an interrupted insertMany keeps: read back what is ours, insert the rest one by one.
            var stored = (await db.Events.Find(F.In("_id", events.Select(e => (BsonValue)e.EventId))).ToListAsync(ct)).Select(d => d["_id"].AsString).ToHashSet();
            var lost = new List<string>();
            foreach (var e in events.Where(e => !stored.Contains(e.EventId)))
            {
                try { await db.Events.InsertOneAsync(Stored(e), cancellationToken: ct); }
                catch (Exception dup) when (MongoDatabase.IsDuplicateKey(dup)) { lost.Add(e.DeduplicationKey); }
            }
            return lost;
        }
    }

    /// <summary>A delivery's record: written once (an upsert of what it was when first processed); its bytes are in the log document of the same id.</summary>
    static WriteModel<BsonDocument> Record(IngestBatch b, int mine, IReadOnlyDictionary<string, (string Delivery, string EventId)> owners)
    {
        var d = b.Delivery;
        var sameAs = mine == 0 && b.Events.Count > 0 ? owners[b.Events[0].DeduplicationKey].Delivery : null;
        return new UpdateOneModel<BsonDocument>(F.Eq("_id", d.DeliveryId), U
            .SetOnInsert("receivedAt", d.ReceivedAt.ToUnixTimeMilliseconds()).SetOnInsert("size", d.Size)
            .SetOnInsert("eventCount", b.Events.Count).SetOnInsert("duplicateCount", b.Events.Count - mine)
            .SetOnInsert("contentType", MongoEventDocuments.Str(d.ContentType))
            // A record fed without the log (tests, imports) keeps its bytes itself.
            .SetOnInsert("body", new BsonBinaryData(b.LogSeq is null && sameAs is null ? d.Body.ToArray() : []))
            .SetOnInsert("sameAs", MongoEventDocuments.Str(sameAs)).SetOnInsert("counted", BsonNull.Value)) { IsUpsert = true };
    }
}
