using InstantChat.Core.Storage.Mongo;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Tests.TestSupport;

/// <summary>Subscription documents as the database holds them, behind the store's back.</summary>
public sealed partial class MongoStores
{
    public async Task<(string? VerifyToken, string? Secret)> RawSubscriptionSecretsAsync(string subscriptionId)
    {
        var d = await Database.Subscriptions.Find(Builders<BsonDocument>.Filter.Eq("_id", subscriptionId)).SingleAsync();
        return (MongoEventDocuments.Str(d, "verifyToken"), MongoEventDocuments.Str(d, "secret"));
    }

    public Task SetRawSubscriptionSecretsAsync(string subscriptionId, string? verifyToken, string? secret) =>
        Database.Subscriptions.UpdateOneAsync(Builders<BsonDocument>.Filter.Eq("_id", subscriptionId),
            Builders<BsonDocument>.Update
                .Set("verifyToken", MongoEventDocuments.Str(verifyToken)).Set("secret", MongoEventDocuments.Str(secret)));

    public async Task<string> RawDestinationAsync(string destinationId) =>
        (await Database.Destinations.Find(Builders<BsonDocument>.Filter.Eq("_id", destinationId)).SingleAsync()).ToJson();
}
