using InstantChat.Core.EventModel;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

public sealed class MongoEventStore(MongoDatabase db) : IEventStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;
    readonly MongoDeliveryBodies _bodies = new(db);

    /// <summary>Events of one platform; those stored before platforms were recorded have none, and are Instagram's.</summary>
    internal static FilterDefinition<BsonDocument> OnPlatform(string platform) =>
        platform == Platforms.Instagram ? F.In("platform", [(BsonValue)platform, BsonNull.Value]) : F.Eq("platform", platform);

    /// <summary>The query's filters (its cursor included); null when its text can match nothing.</summary>
    static FilterDefinition<BsonDocument>? Filter(EventQuery query)
    {
        var filters = new List<FilterDefinition<BsonDocument>>();
        if (query.EventType is { } type) filters.Add(F.Eq("eventType", type));
        if (query.Platform is { } platform) filters.Add(OnPlatform(platform));
        if (query.Status is { } status) filters.Add(F.Eq("status", status.ToWire()));
        if (query.AccountId is { } account) filters.Add(F.Eq("accountId", account));
        if (query.SenderId is { } sender) filters.Add(F.Eq("senderId", sender));
        if (query.From is { } from) filters.Add(F.Gte("_id", EventIds.MinFor(from)));
        if (query.To is { } to) filters.Add(F.Lt("_id", EventIds.MinFor(to.AddMilliseconds(1))));
        if (query.Cursor is { } cursor) filters.Add(F.Lt("_id", cursor));
        if (query.Text is { } text)
        {
            if (!TextSearch.IsSearchable(text) || MongoTextSearch.Filter(text) is not { } words) return null;
            filters.Add(words);
        }
        return filters.Count > 0 ? F.And(filters) : F.Empty;
    }

    public async Task<MatchCount> CountAsync(EventQuery query, int cap, CancellationToken cancellationToken)
    {
        if (Filter(query with { Cursor = null }) is not { } filter) return new MatchCount(0, false);
        var n = await Guard(() => db.Events.CountDocumentsAsync(filter, new CountOptions { Limit = cap + 1 }, cancellationToken));
        return n > cap ? new MatchCount(cap, true) : new MatchCount(n, false);
    }

    public async Task<EventPage> ListAsync(EventQuery query, CancellationToken cancellationToken)
    {
        if (Filter(query) is not { } filter) return new EventPage([], null);
        var docs = await Guard(() => db.Events.Find(filter).Sort(Builders<BsonDocument>.Sort.Descending("_id")).Limit(query.Limit + 1).ToListAsync(cancellationToken));
        var items = await UpdatePayloads.FillAsync(docs.Select(MongoEventDocuments.FromDocument).ToList(), _bodies, cancellationToken);
        if (items.Count <= query.Limit) return new EventPage(items, null);
        items.RemoveAt(items.Count - 1);
        return new EventPage(items, items[^1].EventId);
    }

    public Task<WebhookEvent?> FindAsync(string eventId, CancellationToken cancellationToken) => FindOneAsync(F.Eq("_id", eventId), cancellationToken);

    public Task<WebhookEvent?> FindByKeyAsync(string deduplicationKey, CancellationToken cancellationToken) => FindOneAsync(F.Eq("dedupKey", deduplicationKey), cancellationToken);

    async Task<WebhookEvent?> FindOneAsync(FilterDefinition<BsonDocument> filter, CancellationToken cancellationToken) =>
        await UpdatePayloads.FillAsync(
            await Guard(() => db.Events.Find(filter).FirstOrDefaultAsync(cancellationToken)) is { } d ? MongoEventDocuments.FromDocument(d) : null,
            _bodies, cancellationToken);

    public async Task<DeliveryRecord?> FindDeliveryAsync(string deliveryId, CancellationToken cancellationToken)
    {
        var d = await Guard(() => db.Deliveries.Find(F.Eq("_id", deliveryId)).FirstOrDefaultAsync(cancellationToken));
        if (d is null) return null;
        // A replay's bytes are those of the delivery it points to.
        var sameAs = MongoEventDocuments.Str(d, "sameAs");
        var owner = sameAs is null ? d : await Guard(() => db.Deliveries.Find(F.Eq("_id", sameAs)).FirstOrDefaultAsync(cancellationToken)) ?? d;
        // The bytes are in the log document of the same id, or (a record from before the log) in the record.
        var body = owner["body"].AsBsonBinaryData.Bytes;
        if (body.Length == 0) body = (await _bodies.ReadAsync([owner["_id"].AsString], cancellationToken)).GetValueOrDefault(owner["_id"].AsString) ?? [];
        return new DeliveryRecord(
            d["_id"].AsString,
            DateTimeOffset.FromUnixTimeMilliseconds(d["receivedAt"].ToInt64()),
            d["size"].ToInt32(), d["eventCount"].ToInt32(), d["duplicateCount"].ToInt32(),
            MongoEventDocuments.Str(d, "contentType"), body,
            sameAs, d.GetValue("replays", 0).ToInt32());
    }

    public async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            await db.Database.RunCommandAsync<BsonDocument>(new BsonDocument("ping", 1), cancellationToken: cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            return false;
        }
    }

    /// <summary>An unreachable server is a 503 for the caller, like a SQLite failure.</summary>
    internal static async Task<T> Guard<T>(Func<Task<T>> query)
    {
        try
        {
            return await query();
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            throw new StoreUnavailableException($"MongoDB: {ex.Message}", ex);
        }
    }
}
