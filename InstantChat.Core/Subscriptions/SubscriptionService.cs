using InstantChat.Core.Common;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Subscriptions;

/// <summary>Subscription changes for the API and the dashboard: validated, one per account, in effect at once.</summary>
public sealed partial class SubscriptionService(
    ISubscriptionStore store, SubscriptionDirectory directory, IOptions<WebhookOptions> defaults, TimeProvider clock, ILogger<SubscriptionService> audit)
{
    public Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken ct) => store.ListAsync(ct);

    public Task<WebhookSubscription?> FindAsync(string subscriptionId, CancellationToken ct) => store.FindAsync(subscriptionId, ct);

    public async Task<ChangeResult<WebhookSubscription>> CreateAsync(SubscriptionBody? body, string? by, CancellationToken ct)
    {
        if (SubscriptionValidator.Validate(body) is { Count: > 0 } errors) return Change.Invalid(errors);
        var now = clock.GetUtcNow();
        var subscription = body!.ToSubscription(EventIds.New(now), previous: null, defaults.Value, now);
        if (!await store.CreateAsync(subscription, ct)) return AccountTaken(subscription.InstagramAccountId);
        await directory.ReloadAsync(ct);
        LogChanged(audit, by, "created", subscription.SubscriptionId, subscription.InstagramAccountId);
        return Change.Done(subscription);
    }

    public async Task<ChangeResult<WebhookSubscription>> UpdateAsync(string subscriptionId, SubscriptionBody? body, string? by, CancellationToken ct)
    {
        if (SubscriptionValidator.Validate(body) is { Count: > 0 } errors) return Change.Invalid(errors);
        if (await store.FindAsync(subscriptionId, ct) is not { } previous) return Change.NotFound;
        var subscription = body!.ToSubscription(subscriptionId, previous, defaults.Value, clock.GetUtcNow());
        var all = await store.ListAsync(ct);
        if (all.Any(s => s.InstagramAccountId == subscription.InstagramAccountId && s.SubscriptionId != subscriptionId))
            return AccountTaken(subscription.InstagramAccountId);
        if (!await store.UpdateAsync(subscription, ct)) return Change.NotFound;
        await directory.ReloadAsync(ct);
        LogChanged(audit, by, "updated", subscriptionId, subscription.InstagramAccountId);
        return Change.Done(subscription);
    }

    public async Task<ChangeResult<bool>> DeleteAsync(string subscriptionId, string? by, CancellationToken ct)
    {
        if (!await store.DeleteAsync(subscriptionId, ct)) return Change.NotFound;
        await directory.ReloadAsync(ct);
        LogChanged(audit, by, "deleted", subscriptionId, "-");
        return Change.Done(true);
    }

    static ChangeFailure AccountTaken(string account) => Change.Conflict("Account already subscribed",
        $"Instagram account {account} already has a subscription; update that one instead.");

    [LoggerMessage(LogLevel.Information, "Audit: {By} {Action} subscription {SubscriptionId} (account {Account})")]
    static partial void LogChanged(ILogger logger, string? by, string action, string subscriptionId, string account);
}
