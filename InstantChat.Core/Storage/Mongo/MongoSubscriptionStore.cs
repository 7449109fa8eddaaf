using InstantChat.Core.Subscriptions;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

public sealed class MongoSubscriptionStore(MongoDatabase db) : ISubscriptionStore
{
    static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken ct) => MongoEventStore.Guard<IReadOnlyList<WebhookSubscription>>(async () =>
        (await db.Subscriptions.Find(F.Empty).Sort(Builders<BsonDocument>.Sort.Ascending("createdAt").Ascending("_id")).ToListAsync(ct)).Select(FromDocument).ToList());

    public Task<WebhookSubscription?> FindAsync(string subscriptionId, CancellationToken ct) => MongoEventStore.Guard(async () =>
        await db.Subscriptions.Find(F.Eq("_id", subscriptionId)).FirstOrDefaultAsync(ct) is { } d ? FromDocument(d) : null);

    public Task<bool> CreateAsync(WebhookSubscription s, CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        try
        {
            // The unique index on the account turns a second subscription for it into a duplicate key.
            await db.Subscriptions.InsertOneAsync(ToDocument(s), cancellationToken: ct);
            return true;
        }
        catch (Exception ex) when (MongoDatabase.IsDuplicateKey(ex))
        {
            return false;
        }
    });

    public Task<bool> UpdateAsync(WebhookSubscription s, CancellationToken ct) => MongoEventStore.Guard(async () =>
        (await db.Subscriptions.ReplaceOneAsync(F.Eq("_id", s.SubscriptionId), ToDocument(s), cancellationToken: ct)).MatchedCount == 1);

    public Task<bool> DeleteAsync(string subscriptionId, CancellationToken ct) => MongoEventStore.Guard(async () =>
        (await db.Subscriptions.DeleteOneAsync(F.Eq("_id", subscriptionId), ct)).DeletedCount == 1);

    static BsonDocument ToDocument(WebhookSubscription s) => new()
    {
        { "_id", s.SubscriptionId }, { "instagramAccountId", s.InstagramAccountId }, { "userId", MongoEventDocuments.Str(s.UserId) },
        { "subscribedFields", new BsonArray(s.SubscribedFields) },
        { "url", MongoEventDocuments.Str(s.WebhookConfig.Url) }, { "verifyToken", MongoEventDocuments.Str(s.WebhookConfig.VerifyToken) },
        { "secret", MongoEventDocuments.Str(s.WebhookConfig.Secret) },
        { "enableQueue", s.ProcessingConfig.EnableQueue }, { "batchSize", s.ProcessingConfig.BatchSize }, { "retryAttempts", s.ProcessingConfig.RetryAttempts },
        { "createdAt", s.CreatedAt.ToUnixTimeMilliseconds() }, { "updatedAt", s.UpdatedAt.ToUnixTimeMilliseconds() },
    };

    static WebhookSubscription FromDocument(BsonDocument d) => new(
        d["_id"].AsString, d["instagramAccountId"].AsString, MongoEventDocuments.Str(d, "userId"),
        d["subscribedFields"].AsBsonArray.Select(v => v.AsString).ToList(),
        new WebhookConfig(MongoEventDocuments.Str(d, "url"), MongoEventDocuments.Str(d, "verifyToken"), MongoEventDocuments.Str(d, "secret")),
        new ProcessingConfig(d["enableQueue"].AsBoolean, d["batchSize"].ToInt32(), d["retryAttempts"].ToInt32()),
        DateTimeOffset.FromUnixTimeMilliseconds(d["createdAt"].ToInt64()), DateTimeOffset.FromUnixTimeMilliseconds(d["updatedAt"].ToInt64()));
}
