using InstantChat.Core.Subscriptions;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

public sealed class MongoSubscriptionStore(MongoDatabase db, SecretsAtRest secrets) : ISubscriptionStore
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

    public Task<int> SealPlaintextSecretsAsync(CancellationToken ct) => MongoEventStore.Guard(async () =>
    {
        var changed = 0;
        foreach (var d in await db.Subscriptions.Find(F.Empty).ToListAsync(ct))
        {
            var (token, secret) = (MongoEventDocuments.Str(d, "verifyToken"), MongoEventDocuments.Str(d, "secret"));
            if (SecretsAtRest.IsSealed(token) && SecretsAtRest.IsSealed(secret)) continue;
            // Only while the values are still the ones read: another host may be writing this subscription.
            var unchanged = F.Eq("_id", d["_id"]) & F.Eq("verifyToken", MongoEventDocuments.Str(token)) & F.Eq("secret", MongoEventDocuments.Str(secret));
            var seal = Builders<BsonDocument>.Update
                .Set("verifyToken", MongoEventDocuments.Str(secrets.Resealed(token))).Set("secret", MongoEventDocuments.Str(secrets.Resealed(secret)));
            changed += (int)(await db.Subscriptions.UpdateOneAsync(unchanged, seal, cancellationToken: ct)).ModifiedCount;
        }
        return changed;
    });

    BsonDocument ToDocument(WebhookSubscription s) => new()
    {
        { "_id", s.SubscriptionId }, { "instagramAccountId", s.InstagramAccountId }, { "userId", MongoEventDocuments.Str(s.UserId) },
        { "subscribedFields", new BsonArray(s.SubscribedFields) },
        { "url", MongoEventDocuments.Str(s.WebhookConfig.Url) }, { "verifyToken", MongoEventDocuments.Str(secrets.Seal(s.WebhookConfig.VerifyToken)) },
        { "secret", MongoEventDocuments.Str(secrets.Seal(s.WebhookConfig.Secret)) },
        { "enableQueue", s.ProcessingConfig.EnableQueue }, { "batchSize", s.ProcessingConfig.BatchSize }, { "retryAttempts", s.ProcessingConfig.RetryAttempts },
        { "createdAt", s.CreatedAt.ToUnixTimeMilliseconds() }, { "updatedAt", s.UpdatedAt.ToUnixTimeMilliseconds() },
        { "platform", s.Platform },
    };

    WebhookSubscription FromDocument(BsonDocument d) => new(
        d["_id"].AsString, d["instagramAccountId"].AsString, MongoEventDocuments.Str(d, "userId"),
        d["subscribedFields"].AsBsonArray.Select(v => v.AsString).ToList(),
        new WebhookConfig(MongoEventDocuments.Str(d, "url"),
            secrets.Open(MongoEventDocuments.Str(d, "verifyToken"), d["_id"].AsString), secrets.Open(MongoEventDocuments.Str(d, "secret"), d["_id"].AsString)),
        new ProcessingConfig(d["enableQueue"].AsBoolean, d["batchSize"].ToInt32(), d["retryAttempts"].ToInt32()),
        DateTimeOffset.FromUnixTimeMilliseconds(d["createdAt"].ToInt64()), DateTimeOffset.FromUnixTimeMilliseconds(d["updatedAt"].ToInt64()))
    {
        // Subscriptions stored before other platforms were taken are Instagram's.
        Platform = MongoEventDocuments.Str(d, "platform") ?? EventModel.Platforms.Instagram,
    };
}
