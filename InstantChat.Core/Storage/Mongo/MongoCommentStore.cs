using InstantChat.Core.Comments;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

public sealed class MongoCommentStore(MongoDatabase db, MongoBusinessWrites business) : ICommentStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public Task RecordAsync(CommentRecord c, CancellationToken ct) => business.ApplyAsync([c], ct);

    public Task<IReadOnlyList<CommentRecord>> ListAsync(string? accountId, string? mediaId, int limit, CancellationToken ct) =>
        MongoEventStore.Guard<IReadOnlyList<CommentRecord>>(async () =>
        {
            var filters = new List<FilterDefinition<BsonDocument>>();
            if (accountId is not null) filters.Add(F.Eq("accountId", accountId));
            if (mediaId is not null) filters.Add(F.Eq("mediaId", mediaId));
            var docs = await db.Comments.Find(filters.Count > 0 ? F.And(filters) : F.Empty)
                .Sort(Builders<BsonDocument>.Sort.Descending("timestamp")).Limit(limit).ToListAsync(ct);
            return docs.Select(d => new CommentRecord(d["type"].AsString, d["accountId"].AsString, d["mediaId"].AsString, d["commentId"].AsString,
                MongoEventDocuments.Str(d, "parentId"), MongoEventDocuments.Str(d, "mediaProductType"), MongoEventDocuments.Str(d, "fromId"),
                MongoEventDocuments.Str(d, "username"), MongoEventDocuments.Str(d, "text"),
                DateTimeOffset.FromUnixTimeMilliseconds(d["timestamp"].ToInt64()), d["eventId"].AsString)).ToList();
        });
}
