namespace InstantChat.Core.Subscriptions;

/// <summary>
/// One Instagram account's settings: which fields it processes, the verify token and app secret
/// Meta uses for it (so one host can serve several Meta apps), and processing overrides.
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
    public bool Subscribes(string eventType) => SubscribedFields.Contains(eventType, StringComparer.Ordinal);
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
