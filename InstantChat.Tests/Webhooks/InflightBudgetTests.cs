using InstantChat.Core.Webhooks;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InstantChat.Tests.Webhooks;

public sealed class InflightBudgetTests
{
    const long Limit = 11L * 1024 * 1024;
    static InflightBudget Budget() => new(Options.Create(new WebhookOptions { MaxInflightBytes = Limit }), NullLogger<InflightBudget>.Instance);

    [Fact]
    public void TryReserve_WithinTheLimit_Counts()
    {
        var budget = Budget();
        using var a = budget.Open(() => { });

        Assert.True(a.TryReserve(Limit));
        Assert.Equal(Limit, budget.Used);
    }

    [Fact]
    public void TryReserve_OverTheLimit_OldestHolderGivesWay()
    {
        var budget = Budget();
        var evicted = new List<string>();
        using var oldest = budget.Open(() => evicted.Add("oldest"));
        using var newer = budget.Open(() => evicted.Add("newer"));
        using var newcomer = budget.Open(() => evicted.Add("newcomer"));
        Assert.True(oldest.TryReserve(5 * 1024 * 1024));
        Assert.True(newer.TryReserve(5 * 1024 * 1024));

        Assert.True(newcomer.TryReserve(4 * 1024 * 1024));

        Assert.Equal(["oldest"], evicted);
        Assert.Equal(9L * 1024 * 1024, budget.Used);
        Assert.False(oldest.TryReserve(1)); // gone for good: its read is cancelled
    }

    [Fact]
    public void TryReserve_NothingCanGiveWay_Refuses()
    {
        var budget = Budget();
        using var a = budget.Open(() => { });
        using var b = budget.Open(() => { });
        Assert.True(a.TryReserve(Limit - 10));

        Assert.False(a.TryReserve(11));
        Assert.Equal(Limit - 10, budget.Used);
    }

    [Fact]
    public void Dispose_HolderDone_ReturnsItsBytes()
    {
        var budget = Budget();
        var a = budget.Open(() => { });
        a.TryReserve(1000);
        a.Release(400);
        Assert.Equal(600, budget.Used);

        a.Dispose();

        Assert.Equal(0, budget.Used);
    }
}
