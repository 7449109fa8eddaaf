using InstantChat.Core.Conversations;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Threads on MongoDB with only $set/$setOnInsert upserts and conditional updates (no $max, no
/// pipelines), so every write commutes with the others exactly as on SQLite.
/// </summary>
public sealed class MongoConversationStore(MongoDatabase db) : IConversationStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;
    static readonly UpdateDefinitionBuilder<BsonDocument> U = Builders<BsonDocument>.Update;
    static readonly UpdateOptions Upsert = new() { IsUpsert = true };

    public Task ApplyMessageAsync(MessageWrite w, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        await UpsertAsync(db.Conversations, w.ConversationId, U.SetOnInsert("accountId", w.AccountId).SetOnInsert("participantId", w.ParticipantId)
            .SetOnInsert("participantUsername", BsonNull.Value).SetOnInsert("lastMessageText", BsonNull.Value)
            .SetOnInsert("lastMessageAt", 0L).SetOnInsert("lastTextAt", 0L).SetOnInsert("lastTextMid", "").SetOnInsert("lastBusinessAt", 0L), ct);

        var ts = w.Timestamp.ToUnixTimeMilliseconds();
        var set = new BsonDocument();
        var onInsert = new BsonDocument { { "accountId", w.AccountId }, { "mid", w.Mid }, { "conversationId", w.ConversationId } };
        // Content takes the message's own values; marks only ever switch on.
        if (w.HasContent)
        {
            set.Add("hasContent", true).Add("fromBusiness", w.FromBusiness).Add("text", MongoEventDocuments.Str(w.Text)).Add("timestamp", ts)
               .Add("attachments", new BsonArray((w.Attachments ?? []).Select(a => new BsonDocument { { "type", a.Type }, { "url", MongoEventDocuments.Str(a.Url) } })));
        }
        else
        {
            onInsert.Add("hasContent", false).Add("fromBusiness", false).Add("text", BsonNull.Value).Add("timestamp", ts).Add("attachments", new BsonArray());
        }
        Mark(set, onInsert, "isDeleted", w.IsDeleted);
        Mark(set, onInsert, "seenMarker", w.SeenMarker);
        Mark(set, onInsert, "isUnsupported", w.IsUnsupported);
        if (w.ReplyToMid is { } reply) set.Add("replyToMid", reply);
        if (w.Postback is { } p) set.Add("postback", new BsonDocument { { "title", MongoEventDocuments.Str(p.Title) }, { "payload", MongoEventDocuments.Str(p.Payload) } });
        if (w.Referral is { } r) set.Add("referral", new BsonDocument { { "ref", MongoEventDocuments.Str(r.Ref) }, { "source", MongoEventDocuments.Str(r.Source) }, { "type", MongoEventDocuments.Str(r.Type) } });
        var update = new BsonDocument("$setOnInsert", onInsert);
        if (set.ElementCount > 0) update.Add("$set", set);
        await UpsertAsync(db.Messages, $"{w.AccountId}|{w.Mid}", update, ct);

        if (!w.HasContent) return true;
        // Each "newest wins" field is a conditional update: applied only when this write is newer.
        var conv = F.Eq("_id", w.ConversationId);
        await db.Conversations.UpdateOneAsync(F.And(conv, F.Lt("lastMessageAt", ts)), U.Set("lastMessageAt", ts), cancellationToken: ct);
        if (w.FromBusiness)
            await db.Conversations.UpdateOneAsync(F.And(conv, F.Lt("lastBusinessAt", ts)), U.Set("lastBusinessAt", ts), cancellationToken: ct);
        if (w.Text is { } text)
            await db.Conversations.UpdateOneAsync(
                F.And(conv, F.Or(F.Lt("lastTextAt", ts), F.And(F.Eq("lastTextAt", ts), F.Lte("lastTextMid", w.Mid)))),
                U.Set("lastMessageText", text).Set("lastTextAt", ts).Set("lastTextMid", w.Mid), cancellationToken: ct);
        return true;
    });

    public Task ApplyReactionAsync(ReactionWrite w, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        var ts = w.Timestamp.ToUnixTimeMilliseconds();
        // The newest action per (message, sender) wins; on a tie an unreact wins. When the stored one
        // is newer the filter misses, the upsert collides with it (11000), and that is the answer.
        var newer = w.Action == "unreact" ? F.Lte("timestamp", ts) : F.Lt("timestamp", ts);
        try
        {
            await db.Reactions.UpdateOneAsync(F.And(F.Eq("_id", $"{w.AccountId}|{w.Mid}|{w.SenderId}"), newer),
                U.Set("accountId", w.AccountId).Set("mid", w.Mid).Set("senderId", w.SenderId).Set("action", w.Action)
                 .Set("reaction", MongoEventDocuments.Str(w.Reaction)).Set("emoji", MongoEventDocuments.Str(w.Emoji)).Set("timestamp", ts),
                Upsert, ct);
        }
        catch (Exception ex) when (MongoDatabase.IsDuplicateKey(ex))
        {
        }
        return true;
    });

    public Task<ConversationPage> ListAsync(string? accountId, int limit, string? cursor, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        var filters = new List<FilterDefinition<BsonDocument>>();
        if (accountId is not null) filters.Add(F.Eq("accountId", accountId));
        if (ConversationCursor.TryDecode(cursor, out var at, out var id))
            filters.Add(F.Or(F.Lt("lastMessageAt", at), F.And(F.Eq("lastMessageAt", at), F.Lt("_id", id))));
        var docs = await db.Conversations.Find(filters.Count > 0 ? F.And(filters) : F.Empty)
            .Sort(Builders<BsonDocument>.Sort.Descending("lastMessageAt").Descending("_id")).Limit(limit + 1).ToListAsync(ct);
        var items = new List<Conversation>();
        foreach (var d in docs) items.Add(await ToConversationAsync(d, ct));
        if (items.Count <= limit) return new ConversationPage(items, null);
        items.RemoveAt(items.Count - 1);
        return new ConversationPage(items, ConversationCursor.Encode(items[^1].LastMessageAt?.ToUnixTimeMilliseconds() ?? 0, items[^1].ConversationId));
    });

    public Task<Conversation?> FindAsync(string conversationId, CancellationToken ct) => MongoEventStore.Guard(async () =>
        await db.Conversations.Find(F.Eq("_id", conversationId)).FirstOrDefaultAsync(ct) is { } d ? await ToConversationAsync(d, ct) : null);

    public Task<IReadOnlyList<ThreadMessage>> MessagesAsync(string conversationId, CancellationToken ct) =>
        MongoEventStore.Guard(() => MongoThreadReader.ReadAsync(db, conversationId, ct));

    async Task<Conversation> ToConversationAsync(BsonDocument d, CancellationToken ct)
    {
        var id = d["_id"].AsString;
        var content = F.And(F.Eq("conversationId", id), F.Eq("hasContent", true));
        var unread = await db.Messages.CountDocumentsAsync(F.And(content, F.Eq("fromBusiness", false), F.Gt("timestamp", d["lastBusinessAt"].ToInt64())), cancellationToken: ct);
        var count = await db.Messages.CountDocumentsAsync(content, cancellationToken: ct);
        var last = d["lastMessageAt"].ToInt64();
        return new Conversation(id, d["accountId"].AsString, d["participantId"].AsString, MongoEventDocuments.Str(d, "participantUsername"),
            MongoEventDocuments.Str(d, "lastMessageText"), last == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(last), (int)unread, (int)count);
    }

    static void Mark(BsonDocument set, BsonDocument onInsert, string field, bool on)
    {
        if (on) set.Add(field, true);
        else onInsert.Add(field, false);
    }

    /// <summary>An upsert; two hosts racing to create the same document both end up updating it.</summary>
    static async Task UpsertAsync(IMongoCollection<BsonDocument> collection, string id, UpdateDefinition<BsonDocument> update, CancellationToken ct)
    {
        try
        {
            await collection.UpdateOneAsync(F.Eq("_id", id), update, Upsert, ct);
        }
        catch (Exception ex) when (MongoDatabase.IsDuplicateKey(ex))
        {
            await collection.UpdateOneAsync(F.Eq("_id", id), update, Upsert, ct);
        }
    }

    static Task UpsertAsync(IMongoCollection<BsonDocument> collection, string id, BsonDocument update, CancellationToken ct) =>
        UpsertAsync(collection, id, (UpdateDefinition<BsonDocument>)update, ct);
}
