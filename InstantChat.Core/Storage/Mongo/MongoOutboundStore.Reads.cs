using InstantChat.Core.EventModel;
using InstantChat.Core.Outbound;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

public sealed partial class MongoOutboundStore
{
    public Task<OutboundPage> ListAsync(OutboundQuery q, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        var filter = F.Eq("destinationId", q.DestinationId);
        if (q.Status is { } s) filter &= F.Eq("status", (int)s);
        if (q.EventId is { } e) filter &= F.Eq("eventId", e);
        if (q.Cursor is { } c) filter &= F.Lt("_id", c);
        var items = (await db.Outbound.Find(filter).Sort(Builders<BsonDocument>.Sort.Descending("_id")).Limit(q.Limit + 1).ToListAsync(ct)).Select(Read).ToList();
        return items.Count > q.Limit ? new OutboundPage(items[..q.Limit], items[q.Limit - 1].MessageId) : new OutboundPage(items, null);
    });

    public Task<OutboundMessage?> FindAsync(string messageId, CancellationToken ct) => MongoEventStore.Guard(async () =>
        await db.Outbound.Find(F.Eq("_id", messageId)).FirstOrDefaultAsync(ct) is { } d ? Read(d) : null);

    public Task<IReadOnlyList<OutboundMessage>> ForEventAsync(string eventId, CancellationToken ct) => MongoEventStore.Guard<IReadOnlyList<OutboundMessage>>(async () =>
        (await db.Outbound.Find(F.Eq("eventId", eventId)).ToListAsync(ct)).Select(Read).OrderBy(m => m.DestinationId, StringComparer.Ordinal).ToList());

    public Task<IReadOnlyList<OutboundAttempt>> AttemptsAsync(IReadOnlyCollection<string> messageIds, CancellationToken ct) => MongoEventStore.Guard<IReadOnlyList<OutboundAttempt>>(async () =>
    {
        if (messageIds.Count == 0) return [];
        var docs = await db.Outbound.Find(F.In("_id", messageIds)).ToListAsync(ct);
        return docs.SelectMany(d => d.GetValue("history", new BsonArray()).AsBsonArray.Select(h => ReadAttempt(d["_id"].AsString, h.AsBsonDocument)))
            .OrderBy(a => a.MessageId, StringComparer.Ordinal).ThenBy(a => a.Number).ToList();
    });

    public Task<IReadOnlyDictionary<string, long>> PendingAsync(CancellationToken ct) => MongoEventStore.Guard<IReadOnlyDictionary<string, long>>(async () =>
    {
        var groups = await db.Outbound.Aggregate().Match(F.Eq("status", 0))
            .Group(new BsonDocument { { "_id", "$destinationId" }, { "n", new BsonDocument("$sum", 1) } }).ToListAsync(ct);
        return groups.ToDictionary(g => g["_id"].AsString, g => g["n"].ToInt64());
    });

    public Task<IReadOnlyDictionary<string, DestinationHealthCounts>> HealthAsync(DateTimeOffset since, CancellationToken ct) =>
        MongoEventStore.Guard(async () =>
        {
            var rows = await db.DestinationStats.Find(F.Gte("minute", since.ToUnixTimeSeconds() / 60)).ToListAsync(ct);
            return DestinationHealthSum.Of(rows.Select(d => (d["destinationId"].AsString, new DestinationHealthCounts(
                d.GetValue("attempts", 0).ToInt64(), d.GetValue("succeeded", 0).ToInt64(),
                DestinationHealthCounts.BucketBounds.Select((_, i) => d.GetValue($"l{i}", 0).ToInt64()).ToList(),
                d.TryGetValue("lastAttemptAt", out var at) && at.IsNumeric ? DateTimeOffset.FromUnixTimeMilliseconds(at.ToInt64()) : null,
                d.TryGetValue("lastStatusCode", out var c) && c.IsNumeric ? c.ToInt32() : null))));
        });

    public Task<int> ReplayAsync(Destination destination, DateTimeOffset since, DateTimeOffset now, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        var events = await db.Events.Find(F.And(F.Gte("_id", EventIds.MinFor(since)), F.In("status", new[] { "completed", "skipped" }))).ToListAsync(ct);
        var target = new OutboundTarget(destination.DestinationId, destination.Ordering);
        var writes = events.Select(MongoEventDocuments.FromDocument).Where(destination.Filter.Matches).Select(e => new UpdateOneModel<BsonDocument>(
            F.And(F.Eq("eventId", e.EventId), F.Eq("destinationId", destination.DestinationId)),
            U.Set("status", 0).Set("attempts", 0).Set("nextAttemptAt", Ms(now)).Unset("leaseUntil").Unset("leaseHolder")
             .SetOnInsert("_id", OutboundMessage.NewId(now)).SetOnInsert("orderKey", OrderKey(e, target)).SetOnInsert("seq", OutboundMessage.SeqOf(e, null))
             .SetOnInsert("totalAttempts", 0).SetOnInsert("createdAt", Ms(now)))
        { IsUpsert = true }).ToList();
        if (writes.Count > 0) await db.Outbound.BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = false }, cancellationToken: ct);
        return writes.Count;
    });

    static OutboundMessage Read(BsonDocument d)
    {
        static DateTimeOffset? At(BsonDocument d, string name) =>
            d.TryGetValue(name, out var v) && !v.IsBsonNull ? DateTimeOffset.FromUnixTimeMilliseconds(v.ToInt64()) : null;
        return new OutboundMessage
        {
            MessageId = d["_id"].AsString,
            DestinationId = d["destinationId"].AsString,
            EventId = d["eventId"].AsString,
            OrderKey = d.TryGetValue("orderKey", out var k) && k.IsString ? k.AsString : null,
            Seq = d.TryGetValue("seq", out var q) && q.IsString ? q.AsString : "",
            Status = (OutboundStatus)d.GetValue("status", 0).ToInt32(),
            Attempts = d.GetValue("attempts", 0).ToInt32(),
            TotalAttempts = d.GetValue("totalAttempts", 0).ToInt32(),
            CreatedAt = At(d, "createdAt") ?? DateTimeOffset.UnixEpoch,
            NextAttemptAt = At(d, "nextAttemptAt"),
            LastAttemptAt = At(d, "lastAttemptAt"),
            LastStatusCode = d.TryGetValue("lastStatusCode", out var c) && c.IsNumeric ? c.ToInt32() : null,
            LastError = d.TryGetValue("lastError", out var e) && e.IsString ? e.AsString : null,
        };
    }

    static BsonDocument AttemptDocument(OutboundAttempt a) => new()
    {
        { "number", a.Number },
        { "at", Ms(a.At) },
        { "statusCode", a.StatusCode is { } c ? c : BsonNull.Value },
        { "durationMs", a.DurationMs },
        { "headers", new BsonDocument(a.ResponseHeaders.ToDictionary(h => h.Key, h => (object)h.Value)) },
        { "body", (BsonValue?)a.ResponseBody ?? BsonNull.Value },
        { "error", (BsonValue?)a.Error ?? BsonNull.Value },
    };

    static OutboundAttempt ReadAttempt(string messageId, BsonDocument h) => new(
        messageId, h["number"].ToInt32(), DateTimeOffset.FromUnixTimeMilliseconds(h["at"].ToInt64()),
        h["statusCode"].IsBsonNull ? null : h["statusCode"].ToInt32(), h["durationMs"].ToDouble(),
        h["headers"].AsBsonDocument.ToDictionary(x => x.Name, x => x.Value.ToString()!),
        h["body"].IsBsonNull ? null : h["body"].AsString, h["error"].IsBsonNull ? null : h["error"].AsString);
}
