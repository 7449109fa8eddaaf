using InstantChat.Core.Webhooks;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Several hosts share the log: each takes the oldest deliveries no one holds (or whose holder's lease
/// ran out) and holds them under a lease until its commit marks them done. The commit is a
/// transaction that marks them only while this host still holds them, so a batch whose lease was
/// lost is not committed twice.
/// </summary>
public sealed class MongoLogConsumer(MongoDatabase db, IOptions<WebhookOptions> options, TimeProvider clock) : ILogConsumer
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;
    readonly TimeSpan _lease = TimeSpan.FromSeconds(options.Value.LeaseSeconds);

    public string Owner { get; } = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    FilterDefinition<BsonDocument> Available(DateTimeOffset now) => F.Or(
        F.Eq("state", MongoDeliveryLog.Pending),
        F.And(F.Eq("state", MongoDeliveryLog.Held), F.Lt("leaseUntil", now.ToUnixTimeMilliseconds())));

    public Task<LogBatch> TakeAsync(int maxDeliveries, long maxBytes, CancellationToken cancellationToken) => MongoEventStore.Guard(async () =>
    {
        var now = clock.GetUtcNow();
        var candidates = await db.Log.Find(Available(now)).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).Limit(maxDeliveries).ToListAsync(cancellationToken);
        if (candidates.Count == 0) return LogBatch.Empty;
        long bytes = 0;
        candidates = candidates.TakeWhile(d => (bytes += d["body"].AsBsonBinaryData.Bytes.Length) < maxBytes || bytes == d["body"].AsBsonBinaryData.Bytes.Length).ToList();
        var ids = candidates.Select(d => d["_id"]).ToList();
        // The claim re-checks availability: of two hosts that read the same candidates, each document goes to one.
        var claimed = await db.Log.UpdateManyAsync(F.And(F.In("_id", ids), Available(now)),
            Builders<BsonDocument>.Update.Set("state", MongoDeliveryLog.Held).Set("owner", Owner).Set("leaseUntil", (now + _lease).ToUnixTimeMilliseconds()),
            cancellationToken: cancellationToken);
        if (claimed.ModifiedCount != ids.Count)
        {
            var mine = (await db.Log.Find(F.And(F.In("_id", ids), F.Eq("owner", Owner), F.Eq("state", MongoDeliveryLog.Held))).ToListAsync(cancellationToken))
                .Select(d => d["_id"].AsString).ToHashSet(StringComparer.Ordinal);
            candidates = candidates.Where(d => mine.Contains(d["_id"].AsString)).ToList();
        }
        return candidates.Count == 0 ? LogBatch.Empty : new LogBatch(candidates.Select(Entry).ToList());
    });

    static LogEntry Entry(BsonDocument d) => new(0, d["_id"].AsString, DateTimeOffset.FromUnixTimeMilliseconds(d["receivedAt"].ToInt64()),
        MongoEventDocuments.Str(d, "contentType"), d["body"].AsBsonBinaryData.Bytes,
        d.GetValue("vouched", BsonNull.Value) is BsonArray vouched ? vouched.Select(v => v.AsString).ToHashSet(StringComparer.Ordinal) : null);

    public Task<Backlog> BacklogAsync(CancellationToken cancellationToken) => MongoEventStore.Guard(async () =>
    {
        var open = F.Ne("state", MongoDeliveryLog.Done);
        var count = await db.Log.CountDocumentsAsync(open, cancellationToken: cancellationToken);
        if (count == 0) return Backlog.Empty;
        var oldest = await db.Log.Find(open).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).Limit(1).FirstOrDefaultAsync(cancellationToken);
        var at = oldest is null ? clock.GetUtcNow() : DateTimeOffset.FromUnixTimeMilliseconds(oldest["receivedAt"].ToInt64());
        return new Backlog(count, Math.Max(0, (clock.GetUtcNow() - at).TotalMilliseconds));
    });

    /// <summary>Inside the commit's transaction: marks the batch done while this host still holds it; false when it does not.</summary>
    internal async Task<bool> MarkDoneAsync(IClientSessionHandle session, LogBatch taken, IEnumerable<string> replays, CancellationToken cancellationToken)
    {
        var ids = taken.Entries.Select(e => (BsonValue)e.DeliveryId).ToList();
        var done = await db.Log.UpdateManyAsync(session, F.And(F.In("_id", ids), F.Eq("owner", Owner), F.Eq("state", MongoDeliveryLog.Held)),
            Builders<BsonDocument>.Update.Set("state", MongoDeliveryLog.Done).Unset("owner").Unset("leaseUntil"), cancellationToken: cancellationToken);
        if (done.ModifiedCount != ids.Count) return false;
        // A delivery that brought nothing new keeps its record's reference, not a second copy of the bytes.
        var replayIds = replays.Select(r => (BsonValue)r).ToList();
        if (replayIds.Count > 0)
            await db.Log.UpdateManyAsync(session, F.In("_id", replayIds), Builders<BsonDocument>.Update.Set("body", new BsonBinaryData([])), cancellationToken: cancellationToken);
        return true;
    }
}
