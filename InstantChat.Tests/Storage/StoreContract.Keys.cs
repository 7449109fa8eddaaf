using InstantChat.Core.Security;

namespace InstantChat.Tests.Storage;

public abstract partial class StoreContract
{
    [Fact]
    public async Task ApiKeys_CreateTouchListDelete_RoundTrip()
    {
        var key = new ApiKey("k1", "scraper", Roles.Viewer, ApiKeySecrets.Hash("ick_secret"), "ick_secr", T0, null);
        await Stores.ApiKeys.CreateAsync(key, default);
        await Stores.ApiKeys.TouchAsync("k1", T0.AddMinutes(5), default);

        Assert.Equal(key with { LastUsedAt = T0.AddMinutes(5) }, Assert.Single(await Stores.ApiKeys.ListAsync(default)));
        Assert.True(await Stores.ApiKeys.DeleteAsync("k1", default));
        Assert.False(await Stores.ApiKeys.DeleteAsync("k1", default));
        Assert.Empty(await Stores.ApiKeys.ListAsync(default));
    }
}
