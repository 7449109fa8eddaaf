using InstantChat.Core.Retention;
using InstantChat.Core.EventModel;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

public sealed class MongoRetentionStore(MongoDatabase db) : IRetentionStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public Task<int> PurgeAsync(DateTimeOffset cutoff, int batch, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        var before = EventIds.MinFor(cutoff);
        var old = F.Lt("_id", before);
        var ids = (await db.Events.Find(F.And(old, F.In("status", new BsonArray { "completed", "failed", "skipped" }))).Limit(batch).ToListAsync(ct))
            .Select(d => d["_id"]).ToList();
        if (ids.Count > 0)
        {
            await db.Events.DeleteManyAsync(F.In("_id", ids), ct);
            await db.Attempts.DeleteManyAsync(F.In("eventId", ids), ct);
        }
        // A delivery is kept while an old event that is still in flight may need its bytes.
        var stillNeeded = (await db.Events.Find(old).ToListAsync(ct)).Select(d => d["deliveryId"]).Distinct().ToList();
        var aged = F.And(F.Lt("receivedAt", cutoff.ToUnixTimeMilliseconds()), F.Nin("_id", stillNeeded));
        await db.Deliveries.DeleteManyAsync(aged, ct);
        // The raw bytes live in the log: processed (done) and old enough, they go too.
        await db.Log.DeleteManyAsync(F.And(F.Eq("state", MongoDeliveryLog.Done), aged), ct);
        return ids.Count;
    });
}
