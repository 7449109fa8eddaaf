using InstantChat.Core.Subscriptions;

namespace InstantChat.Web.Endpoints;

/// <summary>What the API returns: whether secrets are set, never their values.</summary>
public sealed record SubscriptionDto(
    string SubscriptionId,
    string Platform,
    string InstagramAccountId,
    string? UserId,
    IReadOnlyList<string> SubscribedFields,
    WebhookConfigDto WebhookConfig,
    Core.Subscriptions.ProcessingConfig ProcessingConfig,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static SubscriptionDto From(WebhookSubscription s) => new(
        s.SubscriptionId, s.Platform, s.InstagramAccountId, s.UserId, s.SubscribedFields,
        new WebhookConfigDto(s.WebhookConfig.Url, s.WebhookConfig.VerifyToken is not null, s.WebhookConfig.Secret is not null),
        s.ProcessingConfig, s.CreatedAt, s.UpdatedAt);
}

public sealed record WebhookConfigDto(string? Url, bool HasVerifyToken, bool HasSecret);
public sealed record SubscriptionListDto(IReadOnlyList<SubscriptionDto> Items);
