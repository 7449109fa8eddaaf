using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using InstantChat.Core.Retention;
using InstantChat.Core.Stats;
using InstantChat.Core.Storage;
using InstantChat.Core.Subscriptions;

namespace InstantChat.Tests.TestSupport;

/// <summary>Every store of one backend, as the contract suite sees it.</summary>
public interface IStoreSet
{
    IIngestStore Ingest { get; }
    IEventStore Events { get; }
    IQueueStore Queue { get; }
    IConversationStore Conversations { get; }
    ICommentStore Comments { get; }
    ISubscriptionStore Subscriptions { get; }
    IStatsStore Stats { get; }
    IRetentionStore Retention { get; }
    InstantChat.Core.Security.IApiKeyStore ApiKeys { get; }
    InstantChat.Core.Security.IUserStore Users { get; }

    /// <summary>Deletes every event and delivery behind the stores' back, leaving the counters.</summary>
    Task ForgetEventsAsync();

    /// <summary>The bytes of delivery bodies as stored, read behind the stores' back.</summary>
    Task<long> StoredBodyBytesAsync();
}
