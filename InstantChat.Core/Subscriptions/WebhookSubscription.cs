using System.Text.Json;
using InstantChat.Core.EventModel;
using InstantChat.Core.Parsing;

namespace InstantChat.Core.Subscriptions;

/// <summary>
/// One account's settings (an Instagram account, a Facebook Page, or a WhatsApp Business Account:
/// the id Meta puts in <c>entry[].id</c>, kept in <see cref="InstagramAccountId"/>, SPEC's name):
/// which fields it processes, the verify token and app secret Meta uses for it (so one host can
/// serve several Meta apps), and processing overrides.
/// </summary>
public sealed record WebhookSubscription(
    string SubscriptionId,
    string InstagramAccountId,
    string? UserId,
    IReadOnlyList<string> SubscribedFields,
    WebhookConfig WebhookConfig,
    ProcessingConfig ProcessingConfig,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>One of <see cref="Platforms"/>: which product the account is on (its fields are that product's).</summary>
    public string Platform { get; init; } = Platforms.Instagram;

    public bool Subscribes(WebhookEvent e, JsonElement update) => SubscribedFields.Contains(FieldOf(e, update), StringComparer.Ordinal);

    /// <summary>The Meta field the event came under (a Messenger echo under message_echoes, a WhatsApp status under messages…).</summary>
    public static string FieldOf(WebhookEvent e, JsonElement update) => Platforms.FieldOf(e.Platform, e.EventType,
        echo: e.Platform == Platforms.Messenger && update.Prop("message").Prop("is_echo").IsTrue());
}

/// <summary><see cref="VerifyToken"/> and <see cref="Secret"/> are write-only: stored sealed (<see cref="SecretsAtRest"/>), never returned.</summary>
public sealed record WebhookConfig(string? Url, string? VerifyToken, string? Secret);

public sealed record ProcessingConfig(bool EnableQueue, int BatchSize, int RetryAttempts);

public interface ISubscriptionStore
{
    Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken);
    Task<WebhookSubscription?> FindAsync(string subscriptionId, CancellationToken cancellationToken);
    /// <summary>False when the account already has a subscription.</summary>
    Task<bool> CreateAsync(WebhookSubscription subscription, CancellationToken cancellationToken);
    /// <summary>False when no such subscription exists.</summary>
    Task<bool> UpdateAsync(WebhookSubscription subscription, CancellationToken cancellationToken);
    Task<bool> DeleteAsync(string subscriptionId, CancellationToken cancellationToken);
    /// <summary>Seals the secrets and verify tokens of rows stored in plain text before sealing existed; returns how many rows changed.</summary>
    Task<int> SealPlaintextSecretsAsync(CancellationToken cancellationToken);
}
