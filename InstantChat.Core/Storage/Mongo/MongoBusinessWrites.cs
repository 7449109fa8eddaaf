using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using InstantChat.Core.Processing;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Business writes on MongoDB in a few bulk writes, whatever their number: rows touched several
/// times are folded first (<see cref="MessageWrites"/>), and every write is an upsert or a
/// conditional update that commutes with the others. Inside the processor's transaction nothing may
/// fail on a duplicate key, so what a duplicate would have decided (a newer reaction, a comment
/// already recorded) is read first.
/// </summary>
public sealed class MongoBusinessWrites(MongoDatabase db) : IBusinessStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;
    static readonly UpdateDefinitionBuilder<BsonDocument> U = Builders<BsonDocument>.Update;

    public Task ApplyAsync(IReadOnlyList<BusinessWrite> writes, CancellationToken cancellationToken) =>
        MongoEventStore.Guard(async () =>
        {
            try
            {
                await ApplyAsync(db, null, writes, cancellationToken);
            }
            catch (Exception ex) when (MongoDatabase.IsDuplicateKey(ex))
            {
                // Another host created one of these rows between the read and the write: once more, now it exists.
                await ApplyAsync(db, null, writes, cancellationToken);
            }
            return true;
        });

    internal static async Task ApplyAsync(MongoDatabase db, IClientSessionHandle? s, IReadOnlyList<BusinessWrite> writes, CancellationToken ct)
    {
        var messages = MessageWrites.MergeByRow(writes.OfType<MessageWrite>());
        var watermarks = writes.OfType<WatermarkWrite>().ToList();
        if (messages.Count > 0 || watermarks.Count > 0)
        {
            // Ordered: every conversation exists before the conditional updates that compare with it.
            await BulkAsync(db.Conversations, s, Conversations(messages, watermarks), ordered: true, ct);
            await BulkAsync(db.Messages, s, messages.Select(Message), ordered: false, ct);
            // A status only ever moves a message forward (conditional updates: no $max on every server).
            await BulkAsync(db.Messages, s, messages.Where(m => m.DeliveryStatus > 0).Select(Status), ordered: false, ct);
        }
        var reactions = MessageWrites.Winners(writes.OfType<ReactionWrite>());
        if (reactions.Count > 0)
        {
            var ids = reactions.Select(r => (BsonValue)ReactionId(r)).ToList();
            var stored = (await Find(db.Reactions, s, F.In("_id", ids), ct)).ToDictionary(d => d["_id"].AsString, d => DateTimeOffset.FromUnixTimeMilliseconds(d["timestamp"].ToInt64()));
            await BulkAsync(db.Reactions, s, reactions.Where(r => !stored.TryGetValue(ReactionId(r), out var at) || MessageWrites.Beats(r, at)).Select(Reaction), ordered: false, ct);
        }
        var comments = writes.OfType<CommentRecord>().DistinctBy(CommentId).ToList();
        if (comments.Count > 0)
        {
            var recorded = (await Find(db.Comments, s, F.In("_id", comments.Select(c => (BsonValue)CommentId(c))), ct)).Select(d => d["_id"].AsString).ToHashSet(StringComparer.Ordinal);
            await BulkAsync(db.Comments, s, comments.Where(c => !recorded.Contains(CommentId(c))).Select(c => new InsertOneModel<BsonDocument>(Comment(c))), ordered: false, ct);
        }
    }

    static IEnumerable<WriteModel<BsonDocument>> Conversations(IReadOnlyList<MessageWrite> messages, IReadOnlyList<WatermarkWrite> watermarks)
    {
        var opened = messages.Select(w => (w.ConversationId, w.AccountId, w.ParticipantId, w.Platform))
            .Concat(watermarks.Select(w => (w.ConversationId, w.AccountId, w.ParticipantId, w.Platform)));
        foreach (var (conversationId, accountId, participantId, platform) in opened.DistinctBy(c => c.ConversationId))
            yield return new UpdateOneModel<BsonDocument>(F.Eq("_id", conversationId),
                U.SetOnInsert("accountId", accountId).SetOnInsert("participantId", participantId).SetOnInsert("platform", platform)
                 .SetOnInsert("participantUsername", BsonNull.Value).SetOnInsert("lastMessageText", BsonNull.Value)
                 .SetOnInsert("lastMessageAt", 0L).SetOnInsert("lastTextAt", 0L).SetOnInsert("lastTextMid", "").SetOnInsert("lastBusinessAt", 0L)
                 .SetOnInsert("seenUntil", 0L).SetOnInsert("deliveredUntil", 0L)) { IsUpsert = true };
        foreach (var w in watermarks)
        {
            var conv = F.Eq("_id", w.ConversationId);
            if (w.SeenUntil > 0) yield return new UpdateOneModel<BsonDocument>(F.And(conv, NotAtLeast("seenUntil", w.SeenUntil)), U.Set("seenUntil", w.SeenUntil));
            if (w.DeliveredUntil > 0) yield return new UpdateOneModel<BsonDocument>(F.And(conv, NotAtLeast("deliveredUntil", w.DeliveredUntil)), U.Set("deliveredUntil", w.DeliveredUntil));
        }
        // Each "newest wins" field is a conditional update, applied only when the batch's value is newer.
        foreach (var c in MessageWrites.Summaries(messages))
        {
            var conv = F.Eq("_id", c.ConversationId);
            yield return new UpdateOneModel<BsonDocument>(F.And(conv, F.Lt("lastMessageAt", c.MessageAt)), U.Set("lastMessageAt", c.MessageAt));
            if (c.BusinessAt > 0) yield return new UpdateOneModel<BsonDocument>(F.And(conv, F.Lt("lastBusinessAt", c.BusinessAt)), U.Set("lastBusinessAt", c.BusinessAt));
            if (c.Text is { } text)
                yield return new UpdateOneModel<BsonDocument>(F.And(conv, F.Or(F.Lt("lastTextAt", c.TextAt), F.And(F.Eq("lastTextAt", c.TextAt), F.Lte("lastTextMid", c.TextMid)))),
                    U.Set("lastMessageText", text).Set("lastTextAt", c.TextAt).Set("lastTextMid", c.TextMid));
        }
    }

    /// <summary>Content takes the message's own values; marks only ever switch on.</summary>
    static WriteModel<BsonDocument> Message(MessageWrite w)
    {
        var ts = w.Timestamp.ToUnixTimeMilliseconds();
        var set = new BsonDocument();
        var onInsert = new BsonDocument { { "accountId", w.AccountId }, { "mid", w.Mid }, { "conversationId", w.ConversationId } };
        if (w.HasContent)
            set.Add("hasContent", true).Add("fromBusiness", w.FromBusiness).Add("text", MongoEventDocuments.Str(w.Text)).Add("timestamp", ts)
               .Add("attachments", new BsonArray((w.Attachments ?? []).Select(a => new BsonDocument { { "type", a.Type }, { "url", MongoEventDocuments.Str(a.Url) } })));
        else
            onInsert.Add("hasContent", false).Add("fromBusiness", w.FromBusiness).Add("text", BsonNull.Value).Add("timestamp", ts).Add("attachments", new BsonArray());
        if (w.DeliveryStatus == 0) onInsert.Add("deliveryStatus", 0);
        Mark(set, onInsert, "isDeleted", w.IsDeleted);
        Mark(set, onInsert, "seenMarker", w.SeenMarker);
        Mark(set, onInsert, "isUnsupported", w.IsUnsupported);
        if (w.ReplyToMid is { } reply) set.Add("replyToMid", reply);
        if (w.Postback is { } p) set.Add("postback", new BsonDocument { { "title", MongoEventDocuments.Str(p.Title) }, { "payload", MongoEventDocuments.Str(p.Payload) } });
        if (w.Referral is { } r) set.Add("referral", new BsonDocument { { "ref", MongoEventDocuments.Str(r.Ref) }, { "source", MongoEventDocuments.Str(r.Source) }, { "type", MongoEventDocuments.Str(r.Type) } });
        var update = new BsonDocument("$setOnInsert", onInsert);
        if (set.ElementCount > 0) update.Add("$set", set);
        return new UpdateOneModel<BsonDocument>(F.Eq("_id", $"{w.AccountId}|{w.Mid}"), update) { IsUpsert = true };
    }

    static WriteModel<BsonDocument> Status(MessageWrite w)
    {
        var set = U.Set("deliveryStatus", w.DeliveryStatus);
        if (w.DeliveryError is { } e)
            set = set.Set("deliveryError", new BsonDocument { { "code", MongoEventDocuments.Str(e.Code) }, { "title", MongoEventDocuments.Str(e.Title) }, { "message", MongoEventDocuments.Str(e.Message) } });
        return new UpdateOneModel<BsonDocument>(F.And(F.Eq("_id", $"{w.AccountId}|{w.Mid}"), NotAtLeast("deliveryStatus", w.DeliveryStatus)), set);
    }

    /// <summary>The field is below <paramref name="value"/>, or absent (rows written before it existed).</summary>
    static FilterDefinition<BsonDocument> NotAtLeast(string field, long value) => F.Or(F.Lt(field, value), F.Exists(field, false));

    static void Mark(BsonDocument set, BsonDocument onInsert, string field, bool on)
    {
        if (on) set.Add(field, true);
        else onInsert.Add(field, false);
    }

    static string ReactionId(ReactionWrite r) => $"{r.AccountId}|{r.Mid}|{r.SenderId}";

    static WriteModel<BsonDocument> Reaction(ReactionWrite w) => new UpdateOneModel<BsonDocument>(F.Eq("_id", ReactionId(w)),
        U.Set("accountId", w.AccountId).Set("mid", w.Mid).Set("senderId", w.SenderId).Set("action", w.Action)
         .Set("reaction", MongoEventDocuments.Str(w.Reaction)).Set("emoji", MongoEventDocuments.Str(w.Emoji)).Set("timestamp", w.Timestamp.ToUnixTimeMilliseconds())) { IsUpsert = true };

    static string CommentId(CommentRecord c) => $"{c.AccountId}|{c.Type}|{c.MediaId}|{c.CommentId}";

    static BsonDocument Comment(CommentRecord c) => new()
    {
        { "_id", CommentId(c) },
        { "type", c.Type }, { "accountId", c.AccountId }, { "mediaId", c.MediaId }, { "commentId", c.CommentId },
        { "parentId", MongoEventDocuments.Str(c.ParentId) }, { "mediaProductType", MongoEventDocuments.Str(c.MediaProductType) },
        { "fromId", MongoEventDocuments.Str(c.FromId) }, { "username", MongoEventDocuments.Str(c.Username) },
        { "text", MongoEventDocuments.Str(c.Text) }, { "timestamp", c.Timestamp.ToUnixTimeMilliseconds() }, { "eventId", c.EventId },
    };

    static Task<List<BsonDocument>> Find(IMongoCollection<BsonDocument> collection, IClientSessionHandle? s, FilterDefinition<BsonDocument> filter, CancellationToken ct) =>
        s is null ? collection.Find(filter).ToListAsync(ct) : collection.Find(s, filter).ToListAsync(ct);

    static async Task BulkAsync(IMongoCollection<BsonDocument> collection, IClientSessionHandle? s, IEnumerable<WriteModel<BsonDocument>> models, bool ordered, CancellationToken ct)
    {
        var list = models.ToList();
        if (list.Count == 0) return;
        var options = new BulkWriteOptions { IsOrdered = ordered };
        if (s is null) await collection.BulkWriteAsync(list, options, ct);
        else await collection.BulkWriteAsync(s, list, options, ct);
    }
}
