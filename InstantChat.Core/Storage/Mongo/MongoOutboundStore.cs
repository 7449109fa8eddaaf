using InstantChat.Core.EventModel;
using InstantChat.Core.Outbound;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Outbound messages on MongoDB, shared by every host: a message is held by one sender at a time
/// (a lease taken with one token per take), and created idempotently in the processor's commit
/// (an upsert on event + destination, so a batch taken again after a crash adds nothing twice).
/// Attempts live inside their message (at most a few dozen, 4 KiB of body each).
/// </summary>
public sealed partial class MongoOutboundStore(MongoDatabase db) : IOutboundStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;
    static readonly UpdateDefinitionBuilder<BsonDocument> U = Builders<BsonDocument>.Update;

    /// <summary>In the processor's commit: one upsert per new event and destination, in one unordered bulk write; due at once, dated by the event's arrival.</summary>
    internal static async Task CreateAsync(MongoDatabase db, IEnumerable<(WebhookEvent Event, OutboundTarget Target, int? Index)> messages, CancellationToken ct)
    {
        var writes = messages.Select(m => (m.Event, m.Target, m.Index, Now: m.Event.ReceivedAt)).Select(m => new UpdateOneModel<BsonDocument>(
            F.And(F.Eq("eventId", m.Event.EventId), F.Eq("destinationId", m.Target.DestinationId)),
            U.SetOnInsert("_id", OutboundMessage.NewId(m.Now)).SetOnInsert("orderKey", OrderKey(m.Event, m.Target)).SetOnInsert("seq", OutboundMessage.SeqOf(m.Event, m.Index)).SetOnInsert("status", 0)
             .SetOnInsert("attempts", 0).SetOnInsert("totalAttempts", 0).SetOnInsert("createdAt", Ms(m.Now)).SetOnInsert("nextAttemptAt", Ms(m.Now)))
        { IsUpsert = true }).ToList();
        if (writes.Count == 0) return;
        try
        {
            await db.Outbound.BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = false }, ct);
        }
        catch (MongoBulkWriteException ex) when (ex.WriteErrors.All(e => e.Category == ServerErrorCategory.DuplicateKey))
        {
            // Two hosts upserted the same pair at once: the other's message stands.
        }
        catch (Exception ex) when (MongoDatabase.IsDuplicateKey(ex))
        {
        }
    }

    public Task<IReadOnlyList<OutboundMessage>> TakeDueAsync(string destinationId, int max, DateTimeOffset now, DateTimeOffset leaseUntil, string holder, CancellationToken ct) =>
        MongoEventStore.Guard<IReadOnlyList<OutboundMessage>>(async () =>
        {
            var free = F.Or(F.Eq("leaseUntil", BsonNull.Value), F.Exists("leaseUntil", false), F.Lt("leaseUntil", Ms(now)));
            var due = await db.Outbound.Find(F.And(F.Eq("destinationId", destinationId), F.Eq("status", 0), F.Lte("nextAttemptAt", Ms(now)), free))
                .Sort(Builders<BsonDocument>.Sort.Ascending("nextAttemptAt").Ascending("seq")).Limit(max).ToListAsync(ct);
            var candidates = due.Select(Read).ToList();
            var keys = candidates.Where(m => m.OrderKey is not null).Select(m => m.OrderKey!).Distinct().ToList();
            if (keys.Count > 0)
            {
                // Conversation order: only the first unfinished message of each conversation may go.
                var unfinished = await db.Outbound.Find(F.And(F.Eq("destinationId", destinationId), F.In("orderKey", keys), F.Eq("status", 0))).ToListAsync(ct);
                var first = unfinished.Select(Read).GroupBy(m => m.OrderKey!).ToDictionary(g => g.Key, g => g.MinBy(m => m.Seq, StringComparer.Ordinal)!.MessageId);
                // Hosts process log ranges side by side, so an earlier event of a conversation may not have its
                // message yet: an ordered message waits until every delivery received before it is processed.
                var oldestOpen = await db.Log.Find(F.Ne("state", MongoDeliveryLog.Done)).Sort(Builders<BsonDocument>.Sort.Ascending("_id")).Limit(1).FirstOrDefaultAsync(ct);
                var watermark = oldestOpen is null ? DateTimeOffset.MaxValue : DateTimeOffset.FromUnixTimeMilliseconds(oldestOpen["receivedAt"].ToInt64());
                candidates = candidates.Where(m => m.OrderKey is null || (first.GetValueOrDefault(m.OrderKey) == m.MessageId && m.CreatedAt < watermark)).ToList();
            }
            if (candidates.Count == 0) return [];
            var token = $"{holder}/{Guid.NewGuid():N}";
            await db.Outbound.UpdateManyAsync(F.And(F.In("_id", candidates.Select(m => m.MessageId)), F.Eq("status", 0), free),
                U.Set("leaseUntil", Ms(leaseUntil)).Set("leaseHolder", token).Set("leaseHost", holder), cancellationToken: ct);
            var mine = await db.Outbound.Find(F.Eq("leaseHolder", token)).ToListAsync(ct);
            return mine.Select(Read).OrderBy(m => m.NextAttemptAt).ThenBy(m => m.Seq, StringComparer.Ordinal).ToList();
        });

    public Task RecordAsync(IReadOnlyList<(OutboundMessage Message, OutboundAttempt Attempt)> outcomes, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        if (outcomes.Count == 0) return true;
        var writes = outcomes.Select(o => new UpdateOneModel<BsonDocument>(F.Eq("_id", o.Message.MessageId),
            U.Set("status", (int)o.Message.Status).Set("attempts", o.Message.Attempts).Set("totalAttempts", o.Message.TotalAttempts)
             .Set("nextAttemptAt", o.Message.NextAttemptAt is { } next ? (BsonValue)Ms(next) : BsonNull.Value)
             .Set("lastAttemptAt", Ms(o.Attempt.At)).Set("lastStatusCode", o.Attempt.StatusCode is { } c ? (BsonValue)c : BsonNull.Value)
             .Set("lastError", (BsonValue?)o.Message.LastError ?? BsonNull.Value).Unset("leaseUntil").Unset("leaseHolder").Unset("leaseHost")
             .AddToSet("history", AttemptDocument(o.Attempt)))).ToList();
        await db.Outbound.BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = false }, ct);
        // The destinations' per-minute counters: increments, safe beside other hosts' (a crash between the two writes loses a count).
        var counters = DestinationMinutes.Of(outcomes).Select(m =>
        {
            var update = U.SetOnInsert("destinationId", m.DestinationId).SetOnInsert("minute", m.Minute)
                .Inc("attempts", m.Counts.Attempts).Inc("succeeded", m.Counts.Succeeded)
                .Set("lastAttemptAt", Ms(m.Counts.LastAttemptAt!.Value)).Set("lastStatusCode", m.Counts.LastStatusCode is { } code ? (BsonValue)code : BsonNull.Value);
            for (var i = 0; i < m.Counts.Latency.Count; i++) if (m.Counts.Latency[i] > 0) update = update.Inc($"l{i}", m.Counts.Latency[i]);
            return new UpdateOneModel<BsonDocument>(F.Eq("_id", $"{m.DestinationId}:{m.Minute}"), update) { IsUpsert = true };
        }).ToList();
        await db.DestinationStats.BulkWriteAsync(counters, new BulkWriteOptions { IsOrdered = false }, ct);
        return true;
    });

    public Task ReleaseAsync(string messageId, DateTimeOffset dueAt, CancellationToken ct) => MongoEventStore.Guard(async () =>
        (await db.Outbound.UpdateOneAsync(F.And(F.Eq("_id", messageId), F.Eq("status", 0)),
            U.Set("nextAttemptAt", Ms(dueAt)).Unset("leaseUntil").Unset("leaseHolder"), cancellationToken: ct)).ModifiedCount);

    public Task ReleaseAllAsync(string holder, CancellationToken ct) => MongoEventStore.Guard(async () =>
        (await db.Outbound.UpdateManyAsync(F.Eq("leaseHost", holder),
            U.Unset("leaseUntil").Unset("leaseHolder").Unset("leaseHost"), cancellationToken: ct)).ModifiedCount);

    public Task<int> RetryAsync(string destinationId, IReadOnlyCollection<string>? messageIds, OutboundStatus? status, DateTimeOffset now, CancellationToken ct) =>
        MongoEventStore.Guard(async () =>
        {
            if (messageIds is { Count: 0 }) return 0;
            var filter = F.And(F.Eq("destinationId", destinationId), F.Ne("status", 0));
            if (status is { } s) filter &= F.Eq("status", (int)s);
            if (messageIds is not null) filter &= F.In("_id", messageIds);
            return (int)(await db.Outbound.UpdateManyAsync(filter,
                U.Set("status", 0).Set("attempts", 0).Set("nextAttemptAt", Ms(now)).Unset("leaseUntil").Unset("leaseHolder"), cancellationToken: ct)).ModifiedCount;
        });

    public Task<int> ExpediteAsync(string destinationId, DateTimeOffset now, CancellationToken ct) => MongoEventStore.Guard(async () =>
        (int)(await db.Outbound.UpdateManyAsync(F.And(F.Eq("destinationId", destinationId), F.Eq("status", 0), F.Gt("nextAttemptAt", Ms(now))),
            U.Set("nextAttemptAt", Ms(now)), cancellationToken: ct)).ModifiedCount);

    static BsonValue OrderKey(WebhookEvent e, OutboundTarget t) =>
        t.Ordering == Ordering.Conversation ? OutboundMessage.ConversationOf(e) : BsonNull.Value;

    static long Ms(DateTimeOffset at) => at.ToUnixTimeMilliseconds();
}
