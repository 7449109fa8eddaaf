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
    IDeliveryLog Log { get; }
    ILogConsumer Consumer { get; }
    IIngestStore Ingest { get; }
    IEventStore Events { get; }
    IDeliveryBodies Bodies { get; }
    IQueueStore Queue { get; }
    IConversationStore Conversations { get; }
    ICommentStore Comments { get; }
    IParticipantStore Participants { get; }
    IDestinationStore Destinations { get; }
    IOutboundStore Outbound { get; }
    IAlertStore Alerts { get; }
    /// <summary>A destination exactly as stored, read behind the store's back.</summary>
    Task<string> RawDestinationAsync(string destinationId);
    ISubscriptionStore Subscriptions { get; }
    /// <summary>The same subscriptions as another host (or this one after a restart) opens them: its own key ring instance, loaded from where the data is.</summary>
    ISubscriptionStore SubscriptionsOnAnotherHost { get; }
    /// <summary>A subscription's verify token and secret exactly as stored, read behind the store's back.</summary>
    Task<(string? VerifyToken, string? Secret)> RawSubscriptionSecretsAsync(string subscriptionId);
    /// <summary>Overwrites them behind the store's back, as a row from before sealing holds them (plain text).</summary>
    Task SetRawSubscriptionSecretsAsync(string subscriptionId, string? verifyToken, string? secret);
    IStatsStore Stats { get; }
    IRetentionStore Retention { get; }
    InstantChat.Core.Security.IApiKeyStore ApiKeys { get; }
    InstantChat.Core.Security.IUserStore Users { get; }

    /// <summary>Deletes every event and delivery behind the stores' back, leaving the counters.</summary>
    Task ForgetEventsAsync();

    /// <summary>The bytes of delivery bodies as stored, read behind the stores' back.</summary>
    Task<long> StoredBodyBytesAsync();

    /// <summary>How many stored events hold a copy of their update's JSON, read behind the stores' back.</summary>
    Task<long> StoredPayloadsAsync();
}
