using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using InstantChat.Core.Retention;
using InstantChat.Core.Stats;
using InstantChat.Core.Storage;
using InstantChat.Core.Subscriptions;
using InstantChat.Core.Storage.Mongo;
using Microsoft.Extensions.Options;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Tests.TestSupport;

/// <summary>The MongoDB store as the host wires it, on its own database of a real server.</summary>
public sealed partial class MongoStores : IStoreSet
{
    public MongoStores(string uri)
    {
        Uri = uri;
        Database = new MongoDatabase(Options.Create(new StorageOptions { MongoUri = uri }));
        Secrets = Sealing.For(new StorageOptions { MongoUri = uri }, Database);
    }

    public string Uri { get; }
    public MongoDatabase Database { get; }
    public SecretsAtRest Secrets { get; }
    MongoLogConsumer? _consumer;
    public MongoLogConsumer LogConsumer => _consumer ??= new MongoLogConsumer(Database, Options.Create(new Core.Ingest.WebhookOptions()), TimeProvider.System);
    public IDeliveryLog Log => new MongoDeliveryLog(Database);
    public ILogConsumer Consumer => LogConsumer;
    public IIngestStore Ingest => new MongoIngestStore(Database, LogConsumer);
    public IEventStore Events => new MongoEventStore(Database);
    public IDeliveryBodies Bodies => new MongoDeliveryBodies(Database);
    public IQueueStore Queue => new MongoQueueStore(Database);
    public IConversationStore Conversations => new MongoConversationStore(Database, new MongoBusinessWrites(Database));
    public ICommentStore Comments => new MongoCommentStore(Database, new MongoBusinessWrites(Database));
    public IParticipantStore Participants => new MongoParticipantStore(Database);
    public ISubscriptionStore Subscriptions => new MongoSubscriptionStore(Database, Secrets);
    public IDestinationStore Destinations => new MongoDestinationStore(Database, Secrets);
    public IOutboundStore Outbound => new MongoOutboundStore(Database);
    public IAlertStore Alerts => new MongoAlertStore(Database);
    public ISubscriptionStore SubscriptionsOnAnotherHost => new MongoSubscriptionStore(Database, Sealing.For(new StorageOptions { MongoUri = Uri }, Database));
    public IStatsStore Stats => new MongoStatsStore(Database);
    public IRetentionStore Retention => new MongoRetentionStore(Database);
    public InstantChat.Core.Security.IApiKeyStore ApiKeys => new MongoApiKeyStore(Database);
    public InstantChat.Core.Security.IUserStore Users => new MongoUserStore(Database);

    public async Task<long> StoredPayloadsAsync() =>
        (await Database.Events.Find(Builders<BsonDocument>.Filter.Empty).ToListAsync()).Count(d => d.GetValue("payload", BsonNull.Value) is BsonString);

    public async Task<long> StoredBodyBytesAsync() =>
        (await Database.Deliveries.Find(Builders<BsonDocument>.Filter.Empty).ToListAsync())
            .Concat(await Database.Log.Find(Builders<BsonDocument>.Filter.Empty).ToListAsync())
            .Sum(d => (long)d["body"].AsBsonBinaryData.Bytes.Length);

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
        // Every test has its own client: left open, their monitors and pools pile up on the one
        // jongodb until its heartbeats time out and a later test finds its pool paused.
        Database.Dispose();
    }
}
