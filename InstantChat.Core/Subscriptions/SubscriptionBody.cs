using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;

namespace InstantChat.Core.Subscriptions;

/// <summary>What clients send. Omitted secrets on a PUT keep the stored ones; an empty string clears them.</summary>
public sealed record SubscriptionBody(
    string? InstagramAccountId,
    string? UserId,
    IReadOnlyList<string>? SubscribedFields,
    WebhookConfigBody? WebhookConfig,
    ProcessingConfigBody? ProcessingConfig,
    string? Platform = null)
{
    public WebhookSubscription ToSubscription(string id, WebhookSubscription? previous, WebhookOptions defaults, DateTimeOffset now)
    {
        static string? Keep(string? sent, string? stored) => sent is null ? stored : sent.Length == 0 ? null : sent;
        var platform = Platform ?? previous?.Platform ?? Platforms.Instagram;
        return new WebhookSubscription(
            id,
            InstagramAccountId!,
            UserId,
            SubscribedFields is { Count: > 0 } fields ? fields.ToList() : [.. Platforms.Fields(platform)],
            new WebhookConfig(
                WebhookConfig?.Url,
                Keep(WebhookConfig?.VerifyToken, previous?.WebhookConfig.VerifyToken),
                Keep(WebhookConfig?.Secret, previous?.WebhookConfig.Secret)),
            new ProcessingConfig(
                ProcessingConfig?.EnableQueue ?? true,
                ProcessingConfig?.BatchSize ?? defaults.BatchSize,
                ProcessingConfig?.RetryAttempts ?? defaults.RetryAttempts),
            previous?.CreatedAt ?? now,
            now) { Platform = platform };
    }
}

public sealed record WebhookConfigBody(string? Url, string? VerifyToken, string? Secret);
public sealed record ProcessingConfigBody(bool? EnableQueue, int? BatchSize, int? RetryAttempts);

public static class SubscriptionValidator
{
    /// <summary>One message per bad field, keyed by its JSON path.</summary>
    public static Dictionary<string, string[]> Validate(SubscriptionBody? body)
    {
        var errors = new Dictionary<string, string[]>();
        void Bad(string field, string message) => errors[field] = [message];
        if (body is null) { Bad("body", "A JSON subscription is required."); return errors; }

        if (body.Platform is { } p && !Platforms.IsKnown(p))
            Bad("platform", $"Platform must be one of {string.Join(", ", Platforms.All)}.");
        var platform = Platforms.IsKnown(body.Platform) ? body.Platform! : Platforms.Instagram;
        if (body.InstagramAccountId is not { Length: > 0 and <= 32 } account || !account.All(char.IsAsciiDigit))
            Bad("instagramAccountId", "The account id is required (digits only, at most 32): the Instagram account id, the Facebook Page id, or the WhatsApp Business Account id.");
        if (body.UserId is { Length: > 128 }) Bad("userId", "User id must be at most 128 characters.");
        if (body.SubscribedFields is { } fields)
        {
            var known = Platforms.Fields(platform);
            var unknown = fields.Where(f => !known.Contains(f)).ToList();
            if (unknown.Count > 0) Bad("subscribedFields", $"Unknown fields for {platform}: {string.Join(", ", unknown)}. Known: {string.Join(", ", known)}.");
            else if (fields.Distinct().Count() != fields.Count) Bad("subscribedFields", "Subscribed fields must not repeat a field.");
        }
        if (body.WebhookConfig?.Url is { Length: > 0 } url && !IsAllowedUrl(url))
            Bad("webhookConfig.url", "Webhook URL must be an absolute https URL, or http://localhost.");
        if (body.WebhookConfig?.VerifyToken is { Length: > 256 }) Bad("webhookConfig.verifyToken", "Verify token must be at most 256 characters.");
        if (body.WebhookConfig?.Secret is { Length: > 256 }) Bad("webhookConfig.secret", "Secret must be at most 256 characters.");
        if (body.ProcessingConfig?.BatchSize is < 1 or > 10_000) Bad("processingConfig.batchSize", "Batch size must be between 1 and 10000.");
        if (body.ProcessingConfig?.RetryAttempts is < 1 or > 50) Bad("processingConfig.retryAttempts", "Retry attempts must be between 1 and 50.");
        return errors;
    }

    static bool IsAllowedUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));
}
