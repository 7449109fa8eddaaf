using InstantChat.Core.Ingest;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Several hosts share the log: each takes the oldest deliveries no one holds (or whose holder's lease
/// ran out) and holds them under a lease until its commit marks them done. A batch whose lease ran
/// out may be processed by two hosts; the commit's steps are idempotent, so it ends the same.
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
        // Distinct: a server may return a document once per branch of the $or (jongodb does).
        var found = (await db.Log.Find(Available(now)).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).Limit(maxDeliveries).ToListAsync(cancellationToken))
            .DistinctBy(d => d["_id"].AsString).ToList();
        if (found.Count == 0) return LogBatch.Empty;
        var candidates = new List<BsonDocument>();
        long bytes = 0;
        foreach (var d in found)
        {
            if (candidates.Count > 0 && bytes >= maxBytes) break; // at least one, however large
            bytes += d["body"].AsBsonBinaryData.Bytes.Length;
            candidates.Add(d);
        }
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

    /// <summary>Nothing to do: a failed commit gives its own batch back (<see cref="ReleaseAsync"/>), and others stay held until they commit.</summary>
    public void Abandon() { }

    /// <summary>A batch this host could not commit goes back to the log at once, not when its lease runs out.</summary>
    internal async Task ReleaseAsync(LogBatch taken, CancellationToken cancellationToken)
    {
        try
        {
            await db.Log.UpdateManyAsync(F.And(F.In("_id", taken.Entries.Select(e => (BsonValue)e.DeliveryId)), F.Eq("owner", Owner), F.Eq("state", MongoDeliveryLog.Held)),
                Builders<BsonDocument>.Update.Set("state", MongoDeliveryLog.Pending).Unset("owner").Unset("leaseUntil"), cancellationToken: cancellationToken);
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            // The lease returns it later.
        }
    }

    /// <summary>Done with the commit (<see cref="MarkDoneAsync"/>).</summary>
    public Task ForgetReplaysAsync(LogBatch taken, IReadOnlyList<LogEntry> replays, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// After the commit's steps: the batch is done. A document whose lease ran out and another host
    /// took meanwhile is left to that host (it finds the same outputs, already there).
    /// </summary>
    internal async Task MarkDoneAsync(LogBatch taken, IEnumerable<string> replays, CancellationToken cancellationToken)
    {
        var ids = taken.Entries.Select(e => (BsonValue)e.DeliveryId).ToList();
        await db.Log.UpdateManyAsync(F.And(F.In("_id", ids), F.Eq("owner", Owner), F.Eq("state", MongoDeliveryLog.Held)),
            Builders<BsonDocument>.Update.Set("state", MongoDeliveryLog.Done).Unset("owner").Unset("leaseUntil"), cancellationToken: cancellationToken);
        // A delivery that brought nothing new keeps its record's reference, not a second copy of the bytes.
        var replayIds = replays.Select(r => (BsonValue)r).ToList();
        if (replayIds.Count > 0)
            await db.Log.UpdateManyAsync(F.In("_id", replayIds), Builders<BsonDocument>.Update.Set("body", new BsonBinaryData([])), cancellationToken: cancellationToken);
    }
}
