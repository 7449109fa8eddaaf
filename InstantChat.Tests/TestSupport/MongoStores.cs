using InstantChat.Core.Storage;
using InstantChat.Core.Storage.Mongo;
using Microsoft.Extensions.Options;

namespace InstantChat.Tests.TestSupport;

/// <summary>The MongoDB store as the host wires it, on its own database of a real server.</summary>
public sealed class MongoStores
{
    public MongoStores(string uri)
    {
        Uri = uri;
        Database = new MongoDatabase(Options.Create(new StorageOptions { MongoUri = uri }));
    }

    public string Uri { get; }
    public MongoDatabase Database { get; }
    public MongoIngestStore Ingest => new(Database);
    public MongoEventStore Events => new(Database);
    public MongoQueueStore Queue => new(Database);
    public MongoConversationStore Conversations => new(Database);
    public MongoCommentStore Comments => new(Database);
    public MongoSubscriptionStore Subscriptions => new(Database);
    public MongoStatsStore Stats => new(Database);

    public async Task ForgetEventsAsync()
    {
        await Database.Events.DeleteManyAsync(MongoDB.Driver.Builders<MongoDB.Bson.BsonDocument>.Filter.Empty);
        await Database.Deliveries.DeleteManyAsync(MongoDB.Driver.Builders<MongoDB.Bson.BsonDocument>.Filter.Empty);
    }

    public Task InitializeAsync() => new MongoStoreInitializer(Database).CreateIndexesAsync(default);

    /// <summary>Drops the test's database where the server can (jongodb has no dropDatabase; it lives in memory for one run).</summary>
    public async Task DropAsync()
    {
        try { await Database.Client.DropDatabaseAsync(Database.Database.DatabaseNamespace.DatabaseName); }
        catch (MongoDB.Driver.MongoCommandException) { }
    }
}
