using MongoDB.Bson;
using MongoDB.Driver;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>The shared database: one client per process, collections with acknowledged, journaled majority writes.</summary>
public sealed class MongoDatabase : IDisposable
{
    public const string DefaultDatabaseName = "instantchat";

    public MongoDatabase(IOptions<StorageOptions> options, MongoCommandMetrics? commands = null)
    {
        var url = MongoUrl.Create(options.Value.MongoUri);
        var settings = MongoClientSettings.FromUrl(url);
        // Meta waits 5 s for an answer: fail fast (503, Meta retries) unless the URI says otherwise.
        if (!options.Value.MongoUri!.Contains("serverSelectionTimeoutMS", StringComparison.OrdinalIgnoreCase))
            settings.ServerSelectionTimeout = TimeSpan.FromSeconds(4);
        if (!options.Value.MongoUri.Contains("connectTimeoutMS", StringComparison.OrdinalIgnoreCase))
            settings.ConnectTimeout = TimeSpan.FromSeconds(4);
        if (commands is not null)
            settings.ClusterConfigurator = c => c.Subscribe<MongoDB.Driver.Core.Events.CommandStartedEvent>(commands.Started);
        Client = new MongoClient(settings);
        // A 200 to Meta must survive a primary failover: majority, journaled.
        Database = Client.GetDatabase(url.DatabaseName ?? DefaultDatabaseName)
            .WithWriteConcern(WriteConcern.WMajority.With(journal: true));
    }

    public IMongoClient Client { get; }

    /// <summary>Closes the client's pool and its server monitors (the host's container calls it at shutdown).</summary>
    public void Dispose() => Client.Dispose();
    public IMongoDatabase Database { get; }

    public IMongoCollection<BsonDocument> Log => Database.GetCollection<BsonDocument>("delivery_log");
    public IMongoCollection<BsonDocument> Events => Database.GetCollection<BsonDocument>("events");
    public IMongoCollection<BsonDocument> Deliveries => Database.GetCollection<BsonDocument>("deliveries");
    public IMongoCollection<BsonDocument> Attempts => Database.GetCollection<BsonDocument>("event_attempts");
    public IMongoCollection<BsonDocument> Conversations => Database.GetCollection<BsonDocument>("conversations");
    public IMongoCollection<BsonDocument> Messages => Database.GetCollection<BsonDocument>("thread_messages");
    public IMongoCollection<BsonDocument> Reactions => Database.GetCollection<BsonDocument>("reactions");
    public IMongoCollection<BsonDocument> Comments => Database.GetCollection<BsonDocument>("comments");
    public IMongoCollection<BsonDocument> Participants => Database.GetCollection<BsonDocument>("participants");
    public IMongoCollection<BsonDocument> Users => Database.GetCollection<BsonDocument>("users");
    public IMongoCollection<BsonDocument> ApiKeys => Database.GetCollection<BsonDocument>("api_keys");
    public IMongoCollection<BsonDocument> Stats => Database.GetCollection<BsonDocument>("stat_counters");
    public IMongoCollection<BsonDocument> Subscriptions => Database.GetCollection<BsonDocument>("subscriptions");
    public IMongoCollection<BsonDocument> Destinations => Database.GetCollection<BsonDocument>("destinations");
    public IMongoCollection<BsonDocument> Outbound => Database.GetCollection<BsonDocument>("outbound_messages");
    public IMongoCollection<BsonDocument> AlertRules => Database.GetCollection<BsonDocument>("alert_rules");
    public IMongoCollection<BsonDocument> Alerts => Database.GetCollection<BsonDocument>("alerts");
    public IMongoCollection<BsonDocument> AlertOpen => Database.GetCollection<BsonDocument>("alert_open");
    public IMongoCollection<BsonDocument> DestinationStats => Database.GetCollection<BsonDocument>("destination_minutes");

    /// <summary>
    /// Duplicate key (11000): the driver reports it as a write, bulk-write or command exception
    /// depending on the operation and the server; all three mean "already stored".
    /// </summary>
    public static bool IsDuplicateKey(Exception ex) => ex switch
    {
        MongoWriteException w => w.WriteError?.Code == 11000,
        MongoBulkWriteException b => b.WriteErrors.Count > 0 && b.WriteErrors.All(e => e.Code == 11000),
        MongoCommandException c => c.Code == 11000,
        _ => false,
    };
}
