using InstantChat.Core.EventModel;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>Inserts events, skipping the ones whose deduplication key is already stored.</summary>
static class MongoEventInserter
{
    /// <summary>
    /// One unordered insertMany: the common case, no duplicates, costs one round trip. On a
    /// duplicate the outcome of the bulk insert is read back rather than trusted (servers differ
    /// in what an interrupted insertMany keeps), and the rest are inserted one by one.
    /// </summary>
    public static async Task<HashSet<string>> InsertNewAsync(MongoDatabase db, IReadOnlyList<WebhookEvent> events, CancellationToken ct)
    {
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        if (events.Count == 0) return inserted;
        // Two updates with one key in the same batch: only the first is a candidate.
        var candidates = events.DistinctBy(e => e.DeduplicationKey).ToList();
        try
        {
            await db.Events.InsertManyAsync(candidates.Select(MongoEventDocuments.ToDocument), new InsertManyOptions { IsOrdered = false }, ct);
            foreach (var e in candidates) inserted.Add(e.EventId);
            return inserted;
        }
        catch (Exception ex) when (MongoDatabase.IsDuplicateKey(ex))
        {
        }
        // Event ids are fresh, so any of them found now was inserted by the call above.
        var ids = candidates.Select(e => (BsonValue)e.EventId).ToList();
        var present = await db.Events.Find(Builders<BsonDocument>.Filter.In("_id", ids)).ToListAsync(ct);
        foreach (var d in present) inserted.Add(d["_id"].AsString);
        foreach (var e in candidates.Where(e => !inserted.Contains(e.EventId)))
        {
            try
            {
                await db.Events.InsertOneAsync(MongoEventDocuments.ToDocument(e), cancellationToken: ct);
                inserted.Add(e.EventId);
            }
            catch (Exception ex) when (MongoDatabase.IsDuplicateKey(ex))
            {
                // Already stored under its deduplication key: a Meta retry.
            }
        }
        return inserted;
    }
}
