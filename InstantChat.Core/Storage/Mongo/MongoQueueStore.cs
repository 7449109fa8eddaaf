using InstantChat.Core.Stats;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// The queue over the events collection, safe for many hosts: each claim and each outcome is an
/// update whose filter re-checks the state it expects, so of two racing hosts exactly one wins a
/// document. A token written with the update tells each caller which documents it won.
/// </summary>
public sealed class MongoQueueStore(MongoDatabase db) : IQueueStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;
    static readonly UpdateDefinitionBuilder<BsonDocument> U = Builders<BsonDocument>.Update;
    static readonly BsonArray Finished = ["completed", "failed", "skipped"];

    public Task<IReadOnlyList<WebhookEvent>> ClaimAsync(ClaimRequest request, CancellationToken ct) =>
        MongoEventStore.Guard<IReadOnlyList<WebhookEvent>>(async () =>
        {
            var (max, now, lease, owner) = (request.Max, request.Now, request.Lease, request.Owner);
            var nowMs = now.ToUnixTimeMilliseconds();
            // Expired leases first (a dead host's events), then due pending ones, each through its index.
            var only = request.EventIds is { } ids0 ? F.In("_id", ids0) : F.Empty;
            var expired = F.And(F.Eq("status", "processing"), F.Lt("leaseUntil", nowMs), only);
            var due = F.And(F.Eq("status", "pending"), F.Lte("nextAttemptAt", nowMs), only);
            var claimed = new List<WebhookEvent>();
            foreach (var (filter, sortField) in new[] { (expired, "leaseUntil"), (due, "nextAttemptAt") })
            {
                if (claimed.Count >= max) break;
                var found = await db.Events.Find(filter).Sort(Builders<BsonDocument>.Sort.Ascending(sortField))
                    .Limit(request.CandidateCount).ToListAsync(ct);
                var chosen = (request with { Max = max - claimed.Count }).Select(found.Select(d => (d["_id"].AsString, MongoEventDocuments.Str(d, "accountId"))));
                if (chosen.Count == 0) continue;
                var token = Guid.NewGuid().ToString("N");
                var ids = new BsonArray(chosen);
                await db.Events.UpdateManyAsync(F.And(F.In("_id", ids), filter),
                    U.Set("status", "processing").Set("leaseUntil", (now + lease).ToUnixTimeMilliseconds())
                     .Set("leaseOwner", owner).Set("claimToken", token).Set("updatedAt", nowMs).Inc("attempts", 1),
                    cancellationToken: ct);
                var won = await db.Events.Find(F.And(F.In("_id", ids), F.Eq("claimToken", token))).ToListAsync(ct);
                claimed.AddRange(won.Select(MongoEventDocuments.FromDocument));
                // Reclaiming an expired lease leaves the status as it was; only due pending events move.
                if (sortField == "nextAttemptAt")
                    await MongoStatsStore.ApplyAsync(db, new StatDeltas().Moved(ProcessingStatus.Pending, ProcessingStatus.Processing, won.Count), ct);
            }
            return claimed;
        });

    public Task<IReadOnlyList<WebhookEvent>> CompleteAsync(IReadOnlyList<AttemptOutcome> outcomes, string owner, CancellationToken ct) =>
        MongoEventStore.Guard<IReadOnlyList<WebhookEvent>>(async () =>
        {
            if (outcomes.Count == 0) return [];
            // No transaction spans the collections, so each step is idempotent (the worker retries a
            // call that failed half-way) and the history goes first: an event is never seen finished
            // without its attempt, and a crash in between leaves a history row, not a hole.
            var byId = outcomes.ToDictionary(o => o.Event.EventId);
            var keys = outcomes.ToDictionary(o => o.Event.EventId, o => $"{o.Event.EventId}:{o.Event.Attempts}:{o.StartedAt.ToUnixTimeMilliseconds()}:{owner}");
            string Key(AttemptOutcome o) => keys[o.Event.EventId];
            await db.Attempts.BulkWriteAsync(outcomes.Select(o => new UpdateOneModel<BsonDocument>(F.Eq("_id", Key(o)),
                U.SetOnInsert("eventId", o.Event.EventId).SetOnInsert("attempt", o.Event.Attempts)
                 .SetOnInsert("startedAt", o.StartedAt.ToUnixTimeMilliseconds()).SetOnInsert("finishedAt", o.FinishedAt.ToUnixTimeMilliseconds())
                 .SetOnInsert("outcome", o.Status.ToWire()).SetOnInsert("error", MongoEventDocuments.Str(o.Error)).SetOnInsert("processingMs", o.ProcessingMs))
            { IsUpsert = true }), new BulkWriteOptions { IsOrdered = false }, ct);
            var writes = outcomes.Select(o => new UpdateOneModel<BsonDocument>(
                F.And(F.Eq("_id", o.Event.EventId), F.Eq("status", "processing"), F.Eq("leaseOwner", owner)),
                U.Set("status", o.Status.ToWire())
                 .Set("lastError", MongoEventDocuments.Str(o.Error))
                 .Set("processedAt", o.Status == ProcessingStatus.Pending ? BsonNull.Value : (BsonValue)o.FinishedAt.ToUnixTimeMilliseconds())
                 .Set("processingMs", o.ProcessingMs)
                 .Set("nextAttemptAt", MongoEventDocuments.Ms(o.NextAttemptAt))
                 .Set("leaseUntil", BsonNull.Value).Set("leaseOwner", BsonNull.Value)
                 .Set("writeToken", Key(o)).Set("updatedAt", o.FinishedAt.ToUnixTimeMilliseconds())));
            // Messages first (idempotent upserts): a crash between the two leaves an event that is
            // attempted again, never one that finished without its messages.
            await MongoOutboundStore.CreateAsync(db, outcomes.Where(o => o.Outbound is { Count: > 0 }).SelectMany(o => o.Outbound!.Select(t => (o.Event, t, (int?)null))), ct);
            await db.Events.BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = false }, ct);
            // An outcome whose lease was lost matched nothing: only documents carrying its key were written.
            var found = await db.Events.Find(F.In("_id", new BsonArray(byId.Keys))).ToListAsync(ct);
            var written = found.Where(d => MongoEventDocuments.Str(d, "writeToken") == Key(byId[d["_id"].AsString]))
                .Select(MongoEventDocuments.FromDocument).ToList();
            var writtenIds = written.Select(e => e.EventId).ToHashSet();
            var lost = outcomes.Where(o => !writtenIds.Contains(o.Event.EventId)).Select(o => (BsonValue)Key(o)).ToList();
            // The attempt's new owner records its own; this one's outcome was discarded, so is its row.
            if (lost.Count > 0) await db.Attempts.DeleteManyAsync(F.In("_id", lost), ct);
            var deltas = new StatDeltas();
            foreach (var o in written.Select(e => byId[e.EventId])) deltas.Finished(o.Event, o.Status, o.FinishedAt, o.ProcessingMs);
            await MongoStatsStore.ApplyAsync(db, deltas, ct);
            return written;
        });

    public Task<RequeueResult> RequeueAsync(string eventId, DateTimeOffset now, string? by, CancellationToken ct) =>
        MongoEventStore.Guard(async () =>
        {
            await KeepCurrentAttemptsAsync(F.And(F.Eq("_id", eventId), F.In("status", Finished)), now, by, ct);
            var before = await db.Events.FindOneAndUpdateAsync(F.And(F.Eq("_id", eventId), F.In("status", Finished)), Requeue(now),
                new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.Before }, ct);
            if (before is not null)
            {
                ProcessingStatuses.TryParse(MongoEventDocuments.Str(before, "status"), out var from);
                await MongoStatsStore.ApplyAsync(db, new StatDeltas().Moved(from, ProcessingStatus.Pending, 1), ct);
                return RequeueResult.Queued;
            }
            return await db.Events.CountDocumentsAsync(F.Eq("_id", eventId), cancellationToken: ct) == 0 ? RequeueResult.NotFound : RequeueResult.Conflict;
        });

    public Task<int> RequeueManyAsync(RequeueFilter filter, DateTimeOffset now, string? by, CancellationToken ct) =>
        MongoEventStore.Guard(async () =>
        {
            await KeepCurrentAttemptsAsync(Matching(filter), now, by, ct);
            var queued = (int)(await db.Events.UpdateManyAsync(Matching(filter), Requeue(now), cancellationToken: ct)).ModifiedCount;
            await MongoStatsStore.ApplyAsync(db, new StatDeltas().Moved(filter.Status ?? ProcessingStatus.Failed, ProcessingStatus.Pending, queued), ct);
            return queued;
        });

    public Task<long> CountRequeueableAsync(RequeueFilter filter, CancellationToken ct) =>
        MongoEventStore.Guard(() => db.Events.CountDocumentsAsync(Matching(filter), cancellationToken: ct));

    static FilterDefinition<BsonDocument> Matching(RequeueFilter filter)
    {
        var filters = new List<FilterDefinition<BsonDocument>> { F.Eq("status", (filter.Status ?? ProcessingStatus.Failed).ToWire()) };
        if (filter.EventType is { } type) filters.Add(F.Eq("eventType", type));
        if (filter.AccountId is { } account) filters.Add(F.Eq("accountId", account));
        if (filter.SenderId is { } sender) filters.Add(F.Eq("senderId", sender));
        if (filter.Platform is { } platform) filters.Add(MongoEventStore.OnPlatform(platform));
        if (filter.From is { } from) filters.Add(F.Gte("_id", EventIds.MinFor(from)));
        if (filter.To is { } to) filters.Add(F.Lt("_id", EventIds.MinFor(to.AddMilliseconds(1))));
        return F.And(filters);
    }

    // Attempts restart from zero; the ones before stay in event_attempts.
    static UpdateDefinition<BsonDocument> Requeue(DateTimeOffset now) =>
        U.Set("status", "pending").Set("nextAttemptAt", now.ToUnixTimeMilliseconds()).Set("attempts", 0)
         .Set("processedAt", BsonNull.Value).Set("leaseUntil", BsonNull.Value).Set("leaseOwner", BsonNull.Value)
         .Set("updatedAt", now.ToUnixTimeMilliseconds());

    public Task<long> QueueLengthAsync(CancellationToken ct) =>
        MongoEventStore.Guard(() => db.Events.CountDocumentsAsync(F.In("status", new BsonArray { "pending", "processing" }), cancellationToken: ct));

    public Task<IReadOnlyList<WebhookEvent>> EnqueueAsync(IReadOnlyList<WebhookEvent> events, CancellationToken ct) =>
        MongoEventStore.Guard<IReadOnlyList<WebhookEvent>>(async () =>
        {
            var inserted = await MongoEventInserter.InsertNewAsync(db, events, ct);
            var added = events.Where(e => inserted.Contains(e.EventId)).ToList();
            await MongoStatsStore.ApplyAsync(db, new StatDeltas().Received(added), ct);
            return added;
        });

    internal static string AttemptId(WebhookEvent e) => $"{e.EventId}:{e.Attempts}:{(e.ProcessedAt ?? e.ReceivedAt).ToUnixTimeMilliseconds()}";

    /// <summary>The attempt an event row holds, as a history document: a failed first attempt (the processor's) or the one a requeue is about to reset.</summary>
    internal static BsonDocument AttemptDocument(WebhookEvent e)
    {
        var finished = e.ProcessedAt ?? e.ReceivedAt;
        return new BsonDocument
        {
            { "_id", AttemptId(e) }, { "eventId", e.EventId }, { "attempt", e.Attempts },
            { "startedAt", (finished - TimeSpan.FromMilliseconds(e.ProcessingMs ?? 0)).ToUnixTimeMilliseconds() },
            { "finishedAt", finished.ToUnixTimeMilliseconds() }, { "outcome", e.ProcessedStatus.ToWire() },
            { "error", MongoEventDocuments.Str(e.LastError) }, { "processingMs", e.ProcessingMs ?? 0 },
        };
    }

    public Task<IReadOnlyList<AttemptRecord>> AttemptsAsync(string eventId, CancellationToken ct) =>
        MongoEventStore.Guard<IReadOnlyList<AttemptRecord>>(async () =>
        {
            var history = (await db.Attempts.Find(F.Eq("eventId", eventId)).Sort(Builders<BsonDocument>.Sort.Ascending("startedAt")).ToListAsync(ct))
                .Select(d => new AttemptRecord(d["attempt"].ToInt32(),
                    DateTimeOffset.FromUnixTimeMilliseconds(d["startedAt"].ToInt64()),
                    DateTimeOffset.FromUnixTimeMilliseconds(d["finishedAt"].ToInt64()),
                    ProcessingStatuses.TryParse(MongoEventDocuments.Str(d, "outcome"), out var s) ? s : ProcessingStatus.Failed,
                    MongoEventDocuments.Str(d, "error"), d["processingMs"].ToDouble(), MongoEventDocuments.Str(d, "retriedBy"),
                    d.TryGetValue("retriedAt", out var at) && at.IsNumeric ? DateTimeOffset.FromUnixTimeMilliseconds(at.ToInt64()) : null))
                .ToList();
            var current = await db.Events.Find(F.Eq("_id", eventId)).FirstOrDefaultAsync(ct) is { } doc ? MongoEventDocuments.FromDocument(doc) : null;
            return AttemptHistory.WithCurrent(history, current);
        });

    /// <summary>Before a requeue resets them: the attempts the event rows hold go into the history (idempotent).</summary>
    /// <summary>Keeps each matching event's current attempt in the history, marked with who asked for the retry, and when.</summary>
    async Task KeepCurrentAttemptsAsync(FilterDefinition<BsonDocument> events, DateTimeOffset now, string? by, CancellationToken ct)
    {
        var current = (await db.Events.Find(F.And(events, F.Gt("attempts", 0), F.Ne("processedAt", BsonNull.Value))).ToListAsync(ct))
            .Select(MongoEventDocuments.FromDocument).Where(e => AttemptHistory.Current(e) is not null).ToList();
        if (current.Count == 0) return;
        var recorded = (await db.Attempts.Find(F.In("eventId", current.Select(e => (BsonValue)e.EventId))).ToListAsync(ct))
            .Select(d => (d["eventId"].AsString, d["attempt"].ToInt32(), d["finishedAt"].ToInt64())).ToHashSet();
        var writes = current.Where(e => !recorded.Contains((e.EventId, e.Attempts, e.ProcessedAt!.Value.ToUnixTimeMilliseconds())))
            .Select(e => new ReplaceOneModel<BsonDocument>(F.Eq("_id", AttemptId(e)), AttemptDocument(e)) { IsUpsert = true })
            .ToList();
        if (writes.Count > 0) await db.Attempts.BulkWriteAsync(writes, new BulkWriteOptions { IsOrdered = false }, ct);
        // By what the attempt is (a history document's id depends on when it was written).
        var marks = current.Select(e => new UpdateManyModel<BsonDocument>(
            F.And(F.Eq("eventId", e.EventId), F.Eq("attempt", e.Attempts), F.Eq("finishedAt", e.ProcessedAt!.Value.ToUnixTimeMilliseconds())),
            U.Set("retriedBy", MongoEventDocuments.Str(by)).Set("retriedAt", now.ToUnixTimeMilliseconds()))).ToList();
        await db.Attempts.BulkWriteAsync(marks, new BulkWriteOptions { IsOrdered = false }, ct);
    }
}
