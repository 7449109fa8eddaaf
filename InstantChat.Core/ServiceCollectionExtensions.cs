using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using InstantChat.Core.Notifications;
using InstantChat.Core.Parsing;
using InstantChat.Core.Processing;
using InstantChat.Core.Retention;
using InstantChat.Core.Security;
using InstantChat.Core.Simulation;
using InstantChat.Core.Ingest;
using InstantChat.Core.Outbound;
using InstantChat.Core.Stats;
using InstantChat.Core.Storage;
using InstantChat.Core.Subscriptions;
using InstantChat.Core.Storage.Mongo;
using InstantChat.Core.Storage.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace InstantChat.Core;

public static class ServiceCollectionExtensions
{
    /// <summary>Options, parsing, signatures and the ingest pipeline; the store comes from AddStorage.</summary>
    public static IServiceCollection AddInstantChatCore(this IServiceCollection services, IConfiguration configuration)
    {
        // SPEC's names are top-level keys (environment variables), so options bind from the root.
        services.AddOptions<WebhookOptions>().Bind(configuration).ValidateDataAnnotations()
            .Validate(o => o.MaxInflightBytes >= 2L * o.MaxBodyBytes, "WEBHOOK_MAX_INFLIGHT_BYTES must be at least twice WEBHOOK_MAX_BODY_BYTES (a largest body must fit while its buffer grows).")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<WebhookMetrics>();
        services.AddSingleton(sp => new Common.BackgroundLane(backlog: sp.GetRequiredService<Common.LogProgress>()));
        services.AddSingleton<MetaParser>();
        services.AddSingleton<StatsService>();
        services.AddSingleton<SignatureVerifier>();
        services.AddSingleton<WebhookIngestor>();
        services.AddSingleton<InflightBudget>();
        services.AddSingleton<TestEventService>();
        services.AddSingleton<IngestWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestWriter>());
        services.AddSingleton<Common.LogProgress>();
        services.AddHostedService<LogProgressRefresher>();
        services.AddSingleton<LogSignal>();
        services.AddSingleton<IEventFeed, InProcessEventFeed>();
        services.AddSingleton<QueueSignal>();
        services.AddSingleton<RetryService>();
        services.AddSingleton<HandlerRegistry>();
        services.AddSingleton<IEventHandler, ConversationHandlers>();
        services.AddSingleton<IEventHandler, CommentHandlers>();
        services.AddSingleton<IEventHandler, WhatsAppHandlers>();
        services.AddSingleton<AttemptRunner>();
        services.AddSingleton<Reparser>();
        services.AddOptions<UserOptions>().Bind(configuration);
        services.AddSingleton<IPasswordHasher, Pbkdf2PasswordHasher>();
        services.AddSingleton<UserCache>();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<UserService>();
        services.AddSingleton<UserAdmin>();
        services.AddSingleton<ApiKeyService>();
        services.AddHostedService<AdminBootstrap>();
        services.AddOptions<UserOptions>().ValidateDataAnnotations().ValidateOnStart();   // a weak ADMIN_PASSWORD stops start-up
        services.AddSingleton<ApiKeyDirectory>();
        services.AddHostedService(sp => sp.GetRequiredService<ApiKeyDirectory>());
        services.AddSingleton<SubscriptionDirectory>();
        services.AddSingleton<SubscriptionService>();
        services.AddHostedService(sp => sp.GetRequiredService<SubscriptionDirectory>());
        services.AddOptions<RetentionOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddHostedService<RetentionService>();
        services.AddSingleton<QueueWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<QueueWorker>());
        services.AddOptions<Outbound.OutboundOptions>().Bind(configuration).ValidateOnStart();
        services.AddSingleton<Outbound.OutboundSignal>();
        services.AddSingleton<Outbound.DestinationDirectory>();
        services.AddHostedService(sp => sp.GetRequiredService<Outbound.DestinationDirectory>());
        services.AddSingleton<Outbound.DestinationService>();
        services.AddSingleton<Outbound.OutboundSender>();
        services.AddOutboundHttp();
        services.AddSingleton<Outbound.OutboundRecorder>();
        services.AddSingleton<Outbound.RecentEvents>();
        services.AddSingleton<Outbound.AlertFeed>();
        services.AddSingleton<Outbound.AlertNotifier>();
        services.AddSingleton<Outbound.AlertEvaluator>();
        services.AddHostedService(sp => sp.GetRequiredService<Outbound.AlertEvaluator>());
        services.AddHostedService<Outbound.OutboundDispatcher>();
        services.AddSingleton<LogProcessor>();
        services.AddHostedService(sp => sp.GetRequiredService<LogProcessor>());
        // Demo traffic, off by default. Registered after the ingest writer, so it stops before it (reverse order).
        services.AddOptions<SimulatorOptions>().Bind(configuration).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Simulator>();
        services.AddHostedService(sp => sp.GetRequiredService<Simulator>());
        return services;
    }

    /// <summary>MongoDB when MONGO_URI is set, else the embedded SQLite store.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().Bind(configuration).ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.MongoUri) || IsMongoUri(o.MongoUri),
                "MONGO_URI is not a valid MongoDB connection string (mongodb://host:port/database or mongodb+srv://…).")
            .ValidateOnStart();
        services.AddSharedDataProtection();   // seals subscription secrets; its key ring lives with the data: DATA_DIR/keys or MongoDB
        return string.IsNullOrWhiteSpace(configuration["MONGO_URI"]) ? services.AddSqliteStorage() : services.AddMongoStorage();
    }

    static bool IsMongoUri(string uri)
    {
        try
        {
            MongoDB.Driver.MongoUrl.Create(uri);
            return true;
        }
        catch (Exception ex) when (ex is MongoDB.Driver.MongoConfigurationException or ArgumentException or FormatException)
        {
            return false;
        }
    }

    /// <summary>Every store on one MongoDB database; several hosts may share it.</summary>
    public static IServiceCollection AddMongoStorage(this IServiceCollection services)
    {
        services.AddSingleton<MongoCommandMetrics>();
        services.AddSingleton<MongoDatabase>();
        services.AddSingleton<IStoreInitializer, MongoStoreInitializer>();
        services.AddSingleton<IIngestStore, MongoIngestStore>();
        services.AddSingleton<MongoBusinessWrites>();
        services.AddSingleton<IBusinessStore>(sp => sp.GetRequiredService<MongoBusinessWrites>());
        services.AddSingleton<MongoDeliveryLog>();
        services.AddSingleton<IDeliveryLog>(sp => sp.GetRequiredService<MongoDeliveryLog>());
        services.AddSingleton<MongoLogConsumer>();
        services.AddSingleton<ILogConsumer>(sp => sp.GetRequiredService<MongoLogConsumer>());
        services.AddSingleton<IEventStore, MongoEventStore>();
        services.AddSingleton<IDeliveryBodies, MongoDeliveryBodies>();
        services.AddSingleton<IQueueStore, MongoQueueStore>();
        services.AddSingleton<IConversationStore, MongoConversationStore>();
        services.AddSingleton<ICommentStore, MongoCommentStore>();
        services.AddSingleton<IParticipantStore, MongoParticipantStore>();
        services.AddSingleton<ISubscriptionStore, MongoSubscriptionStore>();
        services.AddSingleton<IDestinationStore, MongoDestinationStore>();
        services.AddSingleton<IOutboundStore, MongoOutboundStore>();
        services.AddSingleton<IAlertStore, MongoAlertStore>();
        services.AddSingleton<IStatsStore, MongoStatsStore>();
        services.AddSingleton<IRetentionStore, MongoRetentionStore>();
        services.AddSingleton<IApiKeyStore, MongoApiKeyStore>();
        services.AddSingleton<IUserStore, MongoUserStore>();
        // Other hosts' events reach this host's pages through the store.
        services.AddHostedService<MongoEventPoller>();
        services.Insert(0, ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, StoreInitializerService>());
        return services;
    }

    public static IServiceCollection AddSqliteStorage(this IServiceCollection services)
    {
        services.AddSingleton<SqliteDatabase>();
        services.AddSingleton<IStoreInitializer, SqliteStoreInitializer>();
        services.AddSingleton<SqliteWriter>();
        services.AddSingleton<IIngestStore, SqliteIngestStore>();
        services.AddSingleton<SqliteDeliveryLog>();
        services.AddSingleton<IDeliveryLog>(sp => sp.GetRequiredService<SqliteDeliveryLog>());
        services.AddSingleton<SqliteLogConsumer>();
        services.AddSingleton<ILogConsumer>(sp => sp.GetRequiredService<SqliteLogConsumer>());
        services.AddSingleton<IBusinessStore, SqliteBusinessWrites>();
        services.AddSingleton<IEventStore, SqliteEventStore>();
        services.AddSingleton<IDeliveryBodies, SqliteDeliveryBodies>();
        services.AddSingleton<IQueueStore, SqliteQueueStore>();
        services.AddSingleton<IConversationStore, SqliteConversationStore>();
        services.AddSingleton<ICommentStore, SqliteCommentStore>();
        services.AddSingleton<IParticipantStore, SqliteParticipantStore>();
        services.AddSingleton<ISubscriptionStore, SqliteSubscriptionStore>();
        services.AddSingleton<IDestinationStore, SqliteDestinationStore>();
        services.AddSingleton<IOutboundStore, SqliteOutboundStore>();
        services.AddSingleton<IAlertStore, SqliteAlertStore>();
        services.AddSingleton<IStatsStore, SqliteStatsStore>();
        services.AddSingleton<IRetentionStore, SqliteRetentionStore>();
        services.AddSingleton<IApiKeyStore, SqliteApiKeyStore>();
        services.AddSingleton<IUserStore, SqliteUserStore>();
        // Registered before the writer's hosted service is started: hosted services start in order.
        services.Insert(0, ServiceDescriptor.Singleton<Microsoft.Extensions.Hosting.IHostedService, StoreInitializerService>());
        return services;
    }
}
