using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using InstantChat.Core.Retention;
using InstantChat.Core.Stats;
using InstantChat.Core.Storage;
using InstantChat.Core.Subscriptions;
using InstantChat.Core.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InstantChat.Tests.TestSupport;

/// <summary>The embedded store as the host wires it, on a real file in a temp folder.</summary>
public sealed partial class SqliteStores : IStoreSet, IDisposable
{
    readonly TempDir _dir = new();

    public SqliteStores()
    {
        Database = new SqliteDatabase(Options.Create(new StorageOptions { DataDir = _dir.Path }));
        Database.Initialize();
        DeliveryLog = new SqliteDeliveryLog(Options.Create(new StorageOptions { DataDir = _dir.Path }));
        DeliveryLog.Initialize();
        Writer = new SqliteWriter(Database, NullLogger<SqliteWriter>.Instance);
        Secrets = Sealing.For(new StorageOptions { DataDir = _dir.Path });
    }

    public string DataDir => _dir.Path;
    public SqliteDatabase Database { get; }
    public SqliteWriter Writer { get; }
    public SecretsAtRest Secrets { get; }
    public IIngestStore Ingest => new SqliteIngestStore(Writer);
    public SqliteDeliveryLog DeliveryLog { get; }
    public IDeliveryLog Log => DeliveryLog;
    public ILogConsumer Consumer => new SqliteLogConsumer(DeliveryLog, Database, TimeProvider.System);
    public IEventStore Events => new SqliteEventStore(Database, Writer, DeliveryLog);
    public IDeliveryBodies Bodies => new SqliteDeliveryBodies(Database, DeliveryLog);
    public IQueueStore Queue => new SqliteQueueStore(Database, Writer);
    public IConversationStore Conversations => new SqliteConversationStore(Database, Writer);
    public ICommentStore Comments => new SqliteCommentStore(Database, Writer);
    public IParticipantStore Participants => new SqliteParticipantStore(Database);
    public ISubscriptionStore Subscriptions => new SqliteSubscriptionStore(Database, Writer, Secrets);
    public IDestinationStore Destinations => new SqliteDestinationStore(Database, Writer, Secrets);
    // One instance, as in the host: its leases live in memory.
    public IOutboundStore Outbound => _outbound ??= new SqliteOutboundStore(Database, Writer);
    IOutboundStore? _outbound;
    public IAlertStore Alerts => new SqliteAlertStore(Database, Writer);
    public ISubscriptionStore SubscriptionsOnAnotherHost => new SqliteSubscriptionStore(Database, Writer, Sealing.For(new StorageOptions { DataDir = _dir.Path }));
    public IStatsStore Stats => new SqliteStatsStore(Database);
    public IRetentionStore Retention => new SqliteRetentionStore(Writer, DeliveryLog);
    public InstantChat.Core.Security.IApiKeyStore ApiKeys => new SqliteApiKeyStore(Database, Writer);
    public InstantChat.Core.Security.IUserStore Users => new SqliteUserStore(Database, Writer);

    public Task ForgetEventsAsync() => Writer.ExecuteAsync(ctx => ctx.Command("DELETE FROM events; DELETE FROM deliveries;").ExecuteNonQuery());

    public async Task<long> StoredPayloadsAsync()
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM events WHERE payload IS NOT NULL";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async Task<long> StoredBodyBytesAsync()
    {
        await using var connection = Database.Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(SUM(length(body)), 0) FROM deliveries";
        await using var log = DeliveryLog.Database.Open();
        await using var logged = log.CreateCommand();
        logged.CommandText = "SELECT COALESCE(SUM(length(body)), 0) FROM log";
        return (long)(await command.ExecuteScalarAsync())! + (long)(await logged.ExecuteScalarAsync())!;
    }

    public void Dispose()
    {
        DeliveryLog.Dispose();
        Writer.Dispose();
        _dir.Dispose();
    }
}
