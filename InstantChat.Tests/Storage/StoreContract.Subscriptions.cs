using InstantChat.Core.Storage;
using InstantChat.Core.Subscriptions;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Storage;

public abstract partial class StoreContract
{
    static WebhookSubscription Subscription(string id, string account) => new(id, account, "user-1", ["messages", "comments"],
        new WebhookConfig("https://example.com/hook", "token-" + id, "secret-" + id), new ProcessingConfig(true, 50, 4), T0, T0);

    [Fact]
    public async Task Subscriptions_CreateFindUpdateDelete_RoundTrip()
    {
        var s = Subscription("s1", "1001");
        Assert.True(await Subscriptions.CreateAsync(s, default));
        Assert.Equal(s with { SubscribedFields = s.SubscribedFields }, await Subscriptions.FindAsync("s1", default), new SubscriptionComparer());

        var changed = s with { SubscribedFields = ["mentions"], ProcessingConfig = new ProcessingConfig(false, 5, 1), UpdatedAt = T0.AddMinutes(1) };
        Assert.True(await Subscriptions.UpdateAsync(changed, default));
        Assert.Equal(changed, await Subscriptions.FindAsync("s1", default), new SubscriptionComparer());

        Assert.True(await Subscriptions.DeleteAsync("s1", default));
        Assert.Null(await Subscriptions.FindAsync("s1", default));
        Assert.False(await Subscriptions.DeleteAsync("s1", default));
        Assert.False(await Subscriptions.UpdateAsync(changed, default));
    }

    [Fact]
    public async Task Subscriptions_SecretAndVerifyToken_AreStoredSealedAndReadBackClear()
    {
        var s = Subscription("s1", "1001");
        Assert.True(await Subscriptions.CreateAsync(s, default));
        await AssertSealedAsync("s1", "token-s1", "secret-s1");

        var changed = s with { WebhookConfig = new WebhookConfig(null, "token-changed", null), UpdatedAt = T0.AddMinutes(1) };
        Assert.True(await Subscriptions.UpdateAsync(changed, default));

        var (token, secret) = await Stores.RawSubscriptionSecretsAsync("s1");
        Assert.DoesNotContain("token-changed", token);
        Assert.Null(secret);
        Assert.Equal(changed.WebhookConfig, (await Subscriptions.FindAsync("s1", default))!.WebhookConfig);
        Assert.Equal(changed.WebhookConfig, Assert.Single(await Subscriptions.ListAsync(default)).WebhookConfig);
    }

    [Fact]
    public async Task Subscriptions_PlaintextRowFromBefore_IsReadAsItIsThenSealed()
    {
        var s = Subscription("s1", "1001");
        Assert.True(await Subscriptions.CreateAsync(s, default));
        Assert.True(await Subscriptions.CreateAsync(Subscription("s2", "1002"), default));
        await Stores.SetRawSubscriptionSecretsAsync("s1", "token-s1", "secret-s1");
        Assert.Equal(s.WebhookConfig, (await Subscriptions.FindAsync("s1", default))!.WebhookConfig);

        Assert.Equal(1, await Subscriptions.SealPlaintextSecretsAsync(default));

        await AssertSealedAsync("s1", "token-s1", "secret-s1");
        await AssertSealedAsync("s2", "token-s2", "secret-s2");
        Assert.Equal(0, await Subscriptions.SealPlaintextSecretsAsync(default));
    }

    [Fact]
    public async Task Subscriptions_SealedOnOneHost_AreOpenedOnAnother()
    {
        var s = Subscription("s1", "1001");
        Assert.True(await Subscriptions.CreateAsync(s, default));

        Assert.Equal(s.WebhookConfig, (await Stores.SubscriptionsOnAnotherHost.FindAsync("s1", default))!.WebhookConfig);
    }

    async Task AssertSealedAsync(string subscriptionId, string verifyToken, string secret)
    {
        var raw = await Stores.RawSubscriptionSecretsAsync(subscriptionId);
        Assert.NotNull(raw.VerifyToken);
        Assert.NotNull(raw.Secret);
        Assert.DoesNotContain(verifyToken, raw.VerifyToken);
        Assert.DoesNotContain(secret, raw.Secret);
        var stored = (await Subscriptions.FindAsync(subscriptionId, default))!.WebhookConfig;
        Assert.Equal((verifyToken, secret), (stored.VerifyToken, stored.Secret));
    }

    [Fact]
    public async Task Subscriptions_SecondForTheSameAccount_IsRefused()
    {
        Assert.True(await Subscriptions.CreateAsync(Subscription("s1", "1001"), default));
        Assert.False(await Subscriptions.CreateAsync(Subscription("s2", "1001"), default));
        Assert.True(await Subscriptions.CreateAsync(Subscription("s3", "1002"), default));
        Assert.Equal(["s1", "s3"], (await Subscriptions.ListAsync(default)).Select(s => s.SubscriptionId));
    }

    [Fact]
    public async Task Claim_AccountLimits_TakeNoMoreThanEachAccountsBatchSize()
    {
        await CommitAsync(Deliveries.Envelope("acct-a", Enumerable.Range(0, 6).Select(i => Deliveries.Message($"a{i}", "x")).ToArray()));
        await CommitAsync(Deliveries.Envelope("acct-b", Enumerable.Range(0, 6).Select(i => Deliveries.Message($"b{i}", "x")).ToArray()));

        var claimed = await Queue.ClaimAsync(new ClaimRequest(10, T0.AddMinutes(1), TimeSpan.FromSeconds(30), "w",
            new Dictionary<string, int> { ["acct-a"] = 2 }), default);

        Assert.Equal(2, claimed.Count(e => e.AccountId == "acct-a"));
        Assert.Equal(6, claimed.Count(e => e.AccountId == "acct-b"));
    }

    [Fact]
    public async Task Claim_EventIds_TakesOnlyThose()
    {
        await CommitAsync(Deliveries.Envelope(Enumerable.Range(0, 4).Select(i => Deliveries.Message($"q{i}", "x")).ToArray()));
        var wanted = (await AllAsync()).Take(2).Select(e => e.EventId).ToList();

        var claimed = await Queue.ClaimAsync(new ClaimRequest(10, T0.AddMinutes(1), TimeSpan.FromSeconds(30), "w", EventIds: wanted), default);

        Assert.Equal(wanted.Order(), claimed.Select(e => e.EventId).Order());
    }

    sealed class SubscriptionComparer : IEqualityComparer<WebhookSubscription?>
    {
        public bool Equals(WebhookSubscription? a, WebhookSubscription? b) =>
            a is not null && b is not null && a with { SubscribedFields = [] } == b with { SubscribedFields = [] }
            && a.SubscribedFields.SequenceEqual(b.SubscribedFields);

        public int GetHashCode(WebhookSubscription? s) => s?.SubscriptionId.GetHashCode() ?? 0;
    }
}
