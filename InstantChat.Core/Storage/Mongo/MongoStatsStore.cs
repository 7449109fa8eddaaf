using InstantChat.Core.Stats;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Counters as documents updated with $inc: in the processor's transaction with the events they
/// count; the retry queue's outcomes write them right after (a crash between the two can leave a
/// counter one retry behind; the events themselves are never affected).
/// </summary>
public sealed class MongoStatsStore(MongoDatabase db) : IStatsStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    /// <summary>One unordered bulk of commutative upserts: the order of hosts' deltas does not matter.</summary>
    internal static async Task ApplyAsync(MongoDatabase db, StatDeltas deltas, CancellationToken ct)
    {
        if (deltas.IsEmpty) return;
        var writes = deltas.Deltas.Select(d => new UpdateOneModel<BsonDocument>(
            F.Eq("_id", $"{d.Key.Kind}|{d.Key.Key}"),
            Builders<BsonDocument>.Update.Inc("value", d.Value).SetOnInsert("kind", d.Key.Kind).SetOnInsert("key", d.Key.Key)) { IsUpsert = true }).ToList();
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
