using InstantChat.Core.Stats;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Counters as documents updated with $inc. MongoDB has no transaction here (the store does not
/// require one), so they are written right after the change they count: a crash between the two
/// can leave a counter one write behind; the events themselves are never affected.
/// </summary>
public sealed class MongoStatsStore(MongoDatabase db) : IStatsStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    internal static async Task ApplyAsync(MongoDatabase db, StatDeltas deltas, CancellationToken ct)
    {
        if (deltas.IsEmpty) return;
        var writes = deltas.Deltas.Select(d => new UpdateOneModel<BsonDocument>(
            F.Eq("_id", $"{d.Key.Kind}|{d.Key.Key}"),
            Builders<BsonDocument>.Update.Inc("value", d.Value).SetOnInsert("kind", d.Key.Kind).SetOnInsert("key", d.Key.Key)) { IsUpsert = true });
        await db.Stats.BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = false }, ct);
    }

    public Task<IReadOnlyList<StatCounter>> ReadAsync(IReadOnlyCollection<string> kinds, CancellationToken ct) =>
        FindAsync(F.In("kind", kinds), null, 0, ct);

    public Task<IReadOnlyList<StatCounter>> RangeAsync(string kind, string fromKey, string toKey, CancellationToken ct) =>
        FindAsync(F.And(F.Eq("kind", kind), F.Gte("key", fromKey), F.Lte("key", toKey)), null, 0, ct);

    public Task<IReadOnlyList<StatCounter>> TopAsync(string kind, int count, CancellationToken ct) =>
        FindAsync(F.Eq("kind", kind), Builders<BsonDocument>.Sort.Descending("value"), count, ct);

    Task<IReadOnlyList<StatCounter>> FindAsync(FilterDefinition<BsonDocument> filter, SortDefinition<BsonDocument>? sort, int limit, CancellationToken ct) =>
        MongoEventStore.Guard<IReadOnlyList<StatCounter>>(async () =>
        {
            var find = db.Stats.Find(filter);
            if (sort is not null) find = find.Sort(sort);
            if (limit > 0) find = find.Limit(limit);
            return (await find.ToListAsync(ct)).Select(d => new StatCounter(d["kind"].AsString, d["key"].AsString, d["value"].ToDouble())).ToList();
        });
}
