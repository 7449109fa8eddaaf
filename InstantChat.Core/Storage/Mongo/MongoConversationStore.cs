using InstantChat.Core.Conversations;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Threads on MongoDB with only $set/$setOnInsert upserts and conditional updates (no $max, no
/// pipelines), so every write commutes with the others exactly as on SQLite.
/// </summary>
public sealed class MongoConversationStore(MongoDatabase db, MongoBusinessWrites business) : IConversationStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public Task ApplyMessageAsync(MessageWrite w, CancellationToken ct) => business.ApplyAsync([w], ct);

    public Task ApplyReactionAsync(ReactionWrite w, CancellationToken ct) => business.ApplyAsync([w], ct);

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
            MongoEventDocuments.Str(d, "lastMessageText"), last == 0 ? null : DateTimeOffset.FromUnixTimeMilliseconds(last), (int)unread, (int)count)
        {
            Platform = MongoEventDocuments.Str(d, "platform") ?? EventModel.Platforms.Instagram,
        };
    }
}
