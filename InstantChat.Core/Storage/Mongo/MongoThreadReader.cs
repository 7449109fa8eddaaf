using InstantChat.Core.Conversations;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

static class MongoThreadReader
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public static async Task<IReadOnlyList<ThreadMessage>> ReadAsync(MongoDatabase db, string conversationId, CancellationToken ct)
    {
        var inThread = F.Eq("conversationId", conversationId);
        var docs = await db.Messages.Find(F.And(inThread, F.Or(F.Eq("hasContent", true), F.Eq("isDeleted", true), F.Gt("deliveryStatus", 0))))
            .Sort(Builders<BsonDocument>.Sort.Ascending("timestamp").Ascending("mid")).ToListAsync(ct);
        // Seen: everything up to the newest message a read receipt named (once that message is here).
        var marker = await db.Messages.Find(F.And(inThread, F.Eq("seenMarker", true), F.Eq("hasContent", true)))
            .Sort(Builders<BsonDocument>.Sort.Descending("timestamp")).Limit(1).FirstOrDefaultAsync(ct);
        var conversation = await db.Conversations.Find(F.Eq("_id", conversationId)).FirstOrDefaultAsync(ct);
        var seenUntil = conversation?.GetValue("seenUntil", 0L).ToInt64() ?? 0;
        var deliveredUntil = conversation?.GetValue("deliveredUntil", 0L).ToInt64() ?? 0;
        var watermark = Math.Max(marker?["timestamp"].ToInt64() ?? -1, seenUntil);
        var accountId = docs.FirstOrDefault()?["accountId"].AsString;
        var reactions = accountId is null ? [] : (await db.Reactions
                .Find(F.And(F.Eq("accountId", accountId), F.In("mid", docs.Select(d => d["mid"])), F.Eq("action", "react")))
                .Sort(Builders<BsonDocument>.Sort.Ascending("timestamp")).ToListAsync(ct))
            .GroupBy(r => r["mid"].AsString)
            .ToDictionary(g => g.Key, g => g.Select(r => new MessageReaction(r["senderId"].AsString, MongoEventDocuments.Str(r, "reaction"), MongoEventDocuments.Str(r, "emoji"))).ToList());

        return docs.Select(d =>
        {
            var hasContent = d["hasContent"].AsBoolean;
            var ts = d["timestamp"].ToInt64();
            var mid = d["mid"].AsString;
            var status = d.GetValue("deliveryStatus", 0).ToInt32();
            return new ThreadMessage(
                mid,
                d["fromBusiness"].AsBoolean,
                MongoEventDocuments.Str(d, "text"),
                d.GetValue("attachments", new BsonArray()).AsBsonArray.Select(a => new Attachment(a["type"].AsString, MongoEventDocuments.Str(a.AsBsonDocument, "url"))).ToList(),
                MongoEventDocuments.Str(d, "replyToMid"),
                d["isDeleted"].AsBoolean,
                d["isUnsupported"].AsBoolean,
                reactions.GetValueOrDefault(mid) ?? [],
                ts <= watermark || status == 3,
                d.GetValue("postback", BsonNull.Value) is BsonDocument p ? new Postback(MongoEventDocuments.Str(p, "title"), MongoEventDocuments.Str(p, "payload")) : null,
                d.GetValue("referral", BsonNull.Value) is BsonDocument r ? new Referral(MongoEventDocuments.Str(r, "ref"), MongoEventDocuments.Str(r, "source"), MongoEventDocuments.Str(r, "type")) : null,
                // A delete of a message that never arrived has no time of its own.
                hasContent || status > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(ts) : null)
            {
                DeliveryStatus = DeliveryStatuses.InThread(status, d["fromBusiness"].AsBoolean, ts, seenUntil, deliveredUntil),
                DeliveryError = d.GetValue("deliveryError", BsonNull.Value) is BsonDocument e
                    ? new DeliveryError(MongoEventDocuments.Str(e, "code"), MongoEventDocuments.Str(e, "title"), MongoEventDocuments.Str(e, "message"))
                    : null,
            };
        }).ToList();
    }
}
