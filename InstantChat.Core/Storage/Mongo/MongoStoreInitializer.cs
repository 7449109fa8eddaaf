using Microsoft.Extensions.Logging;
using MongoDB.Bson;
using MongoDB.Driver;

namespace InstantChat.Core.Storage.Mongo;

/// <summary>
/// Creates every index at start; creating an existing index is a no-op, so this is idempotent.
/// An unreachable server does not stop the host: it starts not ready (/readyz 503, POSTs 503) and
/// the indexes are created as soon as the server answers.
/// </summary>
public sealed partial class MongoStoreInitializer(MongoDatabase db, ILogger<MongoStoreInitializer>? logger = null) : IStoreInitializer
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await CreateIndexesAsync(cancellationToken);
            _ = Task.Run(BackfillSearchWordsAsync, CancellationToken.None);
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            if (logger is not null) LogUnreachable(logger, ex.Message);
            _ = Task.Run(() => RetryAsync(CancellationToken.None), CancellationToken.None);
        }
    }

    /// <summary>In the background: events stored before the word index get their words; searches find them once done.</summary>
    async Task BackfillSearchWordsAsync()
    {
        try
        {
            await MongoTextSearch.BackfillAsync(db, CancellationToken.None);
        }
        catch (Exception ex) when (ex is MongoException or TimeoutException)
        {
            if (logger is not null) LogBackfillFailed(logger, ex.Message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Indexing earlier events for text search stopped ({Error}); it resumes at the next start")]
    static partial void LogBackfillFailed(ILogger logger, string error);

    async Task RetryAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            try
            {
                await CreateIndexesAsync(cancellationToken);
                await BackfillSearchWordsAsync();
                return;
            }
            catch (Exception ex) when (ex is MongoException or TimeoutException)
            {
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "MongoDB is not reachable at start ({Error}); the host is not ready and retries every 5 s")]
    static partial void LogUnreachable(ILogger logger, string error);

    public async Task CreateIndexesAsync(CancellationToken cancellationToken)
    {
        static CreateIndexModel<BsonDocument> Index(string name, BsonDocument keys, bool unique = false) =>
            new(keys, new CreateIndexOptions { Name = name, Unique = unique });
        // The log in order, by state: pending ones to take, held ones whose lease may have run out.
        await db.Log.Indexes.CreateManyAsync(
        [
            Index("ix_state_order", new BsonDocument { { "state", 1 }, { "_id", 1 } }),
            Index("ix_state_lease", new BsonDocument { { "state", 1 }, { "leaseUntil", 1 } }),
        ], cancellationToken);
        await db.Events.Indexes.CreateManyAsync(
        [
            Index("ux_dedup", new BsonDocument("dedupKey", 1), unique: true),
            Index("ix_due", new BsonDocument { { "status", 1 }, { "nextAttemptAt", 1 } }),
            Index("ix_lease", new BsonDocument { { "status", 1 }, { "leaseUntil", 1 } }),
            Index("ix_type", new BsonDocument { { "eventType", 1 }, { "_id", -1 } }),
            Index("ix_status", new BsonDocument { { "status", 1 }, { "_id", -1 } }),
            Index("ix_account", new BsonDocument { { "accountId", 1 }, { "_id", -1 } }),
            Index("ix_sender", new BsonDocument { { "senderId", 1 }, { "_id", -1 } }),
            Index("ix_platform", new BsonDocument { { "platform", 1 }, { "_id", -1 } }),
            Index("ix_updated", new BsonDocument("updatedAt", 1)),
            Index("ix_words", new BsonDocument { { MongoTextSearch.Field, 1 }, { "_id", -1 } }),
        ], cancellationToken);
        await db.Stats.Indexes.CreateManyAsync(
        [
            Index("ix_kind_key", new BsonDocument { { "kind", 1 }, { "key", 1 } }),
            Index("ix_kind_value", new BsonDocument { { "kind", 1 }, { "value", -1 } }),
        ], cancellationToken);
        await db.Users.Indexes.CreateOneAsync(Index("ux_username", new BsonDocument("username", 1), unique: true), cancellationToken: cancellationToken);
        await db.ApiKeys.Indexes.CreateOneAsync(Index("ux_hash", new BsonDocument("hash", 1), unique: true), cancellationToken: cancellationToken);
        await db.Subscriptions.Indexes.CreateOneAsync(Index("ux_account", new BsonDocument("instagramAccountId", 1), unique: true), cancellationToken: cancellationToken);
        await db.Attempts.Indexes.CreateOneAsync(Index("ix_event", new BsonDocument { { "eventId", 1 }, { "startedAt", 1 } }), cancellationToken: cancellationToken);
        await db.Conversations.Indexes.CreateManyAsync(
        [
            Index("ix_activity", new BsonDocument { { "lastMessageAt", -1 }, { "_id", -1 } }),
            Index("ix_account", new BsonDocument { { "accountId", 1 }, { "lastMessageAt", -1 }, { "_id", -1 } }),
        ], cancellationToken);
        await db.Messages.Indexes.CreateOneAsync(Index("ix_thread", new BsonDocument { { "conversationId", 1 }, { "timestamp", 1 } }), cancellationToken: cancellationToken);
        await db.Reactions.Indexes.CreateOneAsync(Index("ix_message", new BsonDocument { { "accountId", 1 }, { "mid", 1 } }), cancellationToken: cancellationToken);
        await db.Outbound.Indexes.CreateManyAsync(
        [
            Index("ux_event_destination", new BsonDocument { { "eventId", 1 }, { "destinationId", 1 } }, unique: true),
            Index("ix_due", new BsonDocument { { "destinationId", 1 }, { "status", 1 }, { "nextAttemptAt", 1 } }),
            Index("ix_conversation", new BsonDocument { { "destinationId", 1 }, { "orderKey", 1 }, { "status", 1 }, { "seq", 1 } }),
            Index("ix_list", new BsonDocument { { "destinationId", 1 }, { "_id", -1 } }),
        ], cancellationToken);
        await db.DestinationStats.Indexes.CreateOneAsync(Index("ix_minute", new BsonDocument("minute", 1)), cancellationToken: cancellationToken);
        await db.Comments.Indexes.CreateManyAsync(
        [
            Index("ix_time", new BsonDocument("timestamp", -1)),
            Index("ix_media", new BsonDocument { { "accountId", 1 }, { "mediaId", 1 }, { "timestamp", -1 } }),
        ], cancellationToken);
    }
}
