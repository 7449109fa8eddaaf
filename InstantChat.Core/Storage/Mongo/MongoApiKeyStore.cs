using InstantChat.Core.Security;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

public sealed class MongoApiKeyStore(MongoDatabase db) : IApiKeyStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public Task CreateAsync(ApiKey key, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        await db.ApiKeys.InsertOneAsync(new BsonDocument
        {
            { "_id", key.KeyId }, { "name", key.Name }, { "role", key.Role }, { "hash", key.Hash }, { "prefix", key.Prefix },
            { "createdAt", key.CreatedAt.ToUnixTimeMilliseconds() }, { "lastUsedAt", BsonNull.Value },
        }, cancellationToken: ct);
        return true;
    });

    public Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken ct) => MongoEventStore.Guard<IReadOnlyList<ApiKey>>(async () =>
        (await db.ApiKeys.Find(F.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("createdAt").Ascending("_id")).ToListAsync(ct))
            .Select(d => new ApiKey(d["_id"].AsString, d["name"].AsString, d["role"].AsString, d["hash"].AsString, d["prefix"].AsString,
                DateTimeOffset.FromUnixTimeMilliseconds(d["createdAt"].ToInt64()), MongoEventDocuments.Time(d, "lastUsedAt")))
            .ToList());

    public Task<bool> DeleteAsync(string keyId, CancellationToken ct) => MongoEventStore.Guard(async () =>
        (await db.ApiKeys.DeleteOneAsync(F.Eq("_id", keyId), ct)).DeletedCount == 1);

    public Task TouchAsync(string keyId, DateTimeOffset usedAt, CancellationToken ct) => MongoEventStore.Guard(async () =>
        await db.ApiKeys.UpdateOneAsync(F.Eq("_id", keyId), Builders<BsonDocument>.Update.Set("lastUsedAt", usedAt.ToUnixTimeMilliseconds()), cancellationToken: ct));
}
