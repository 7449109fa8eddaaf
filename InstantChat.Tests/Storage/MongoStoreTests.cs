using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using InstantChat.Core.Stats;
using InstantChat.Core.Storage;
using InstantChat.Core.Subscriptions;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Storage;

/// <summary>The store contract on jongodb, the MongoDB-wire server the test script installs.</summary>
public sealed class MongoStoreTests(Jongodb server) : StoreContract
{
    MongoStores _stores = null!;

    protected override IIngestStore Ingest => _stores.Ingest;
    protected override IEventStore Events => _stores.Events;
    protected override IQueueStore Queue => _stores.Queue;
    protected override IConversationStore Conversations => _stores.Conversations;
    protected override ICommentStore Comments => _stores.Comments;
    protected override ISubscriptionStore Subscriptions => _stores.Subscriptions;
    protected override IStatsStore Stats => _stores.Stats;
    protected override InstantChat.Core.Retention.IRetentionStore Retention => new InstantChat.Core.Storage.Mongo.MongoRetentionStore(_stores.Database);
    protected override Task ForgetEventsAsync() => _stores.ForgetEventsAsync();

    public override async ValueTask InitializeAsync()
    {
        _stores = new MongoStores(server.NewDatabaseUri());
        await _stores.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_stores is not null) await _stores.DropAsync();
    }
}

/// <summary>The same contract on a real MongoDB (Testcontainers or MONGO_TEST_URI), where one is available.</summary>
public sealed class RealMongoStoreTests(RealMongo server) : StoreContract
{
    MongoStores _stores = null!;

    protected override IIngestStore Ingest => _stores.Ingest;
    protected override IEventStore Events => _stores.Events;
    protected override IQueueStore Queue => _stores.Queue;
    protected override IConversationStore Conversations => _stores.Conversations;
    protected override ICommentStore Comments => _stores.Comments;
    protected override ISubscriptionStore Subscriptions => _stores.Subscriptions;
    protected override IStatsStore Stats => _stores.Stats;
    protected override InstantChat.Core.Retention.IRetentionStore Retention => new InstantChat.Core.Storage.Mongo.MongoRetentionStore(_stores.Database);
    protected override Task ForgetEventsAsync() => _stores.ForgetEventsAsync();

    public override async ValueTask InitializeAsync()
    {
        _stores = new MongoStores(server.NewDatabaseUri());
        await _stores.InitializeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        if (_stores is not null) await _stores.DropAsync();
    }
}
