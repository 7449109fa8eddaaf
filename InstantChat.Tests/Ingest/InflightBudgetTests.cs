using InstantChat.Core.Ingest;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace InstantChat.Tests.Ingest;

public sealed class InflightBudgetTests
{
    const int Chunks = 10;
    static InflightBudget Budget() =>
        new(Options.Create(new WebhookOptions { MaxInflightBytes = Chunks * InflightBudget.ChunkSize }), NullLogger<InflightBudget>.Instance);

    static void Take(InflightBudget.Holder holder, int chunks)
    {
        for (var i = 0; i < chunks; i++) Assert.NotNull(TakeOne(holder));
    }

    static byte[]? TakeOne(InflightBudget.Holder holder) => holder.TakeChunkAsync().AsTask().GetAwaiter().GetResult();

    [Fact]
    public void TakeChunk_WithinTheBudget_CountsEveryChunk()
    {
        var budget = Budget();
        using var a = budget.Open(() => { });

        Take(a, Chunks);

        Assert.Equal(Chunks * InflightBudget.ChunkSize, budget.Used);
        Assert.All(a.Taken, c => Assert.Equal(InflightBudget.ChunkSize, c.Length));
    }

    [Fact]
    public void TakeChunk_BudgetSpent_OldestHolderGivesWay()
    {
        var budget = Budget();
        var evicted = new List<string>();
        InflightBudget.Holder? oldest = null;
        // As in the host: the evicted body's connection is cut, its read fails, it hands its chunks back.
        oldest = budget.Open(() => { evicted.Add("oldest"); oldest!.Dispose(); });
        using var newer = budget.Open(() => evicted.Add("newer"));
        using var newcomer = budget.Open(() => evicted.Add("newcomer"));
        Take(oldest, 5);
        Take(newer, 5);

        Take(newcomer, 1);

        Assert.Equal(["oldest"], evicted);
        Assert.Equal(6 * InflightBudget.ChunkSize, budget.Used);
        Assert.Null(TakeOne(oldest)); // gone for good
    }

    [Fact]
    public void TakeChunk_BudgetSpent_NeverAllocatesMoreChunksThanItHolds()
    {
        var budget = Budget();
        var a = budget.Open(() => { });
        Take(a, Chunks);
        var all = a.Taken.ToHashSet();
        a.Dispose();

        using var b = budget.Open(() => { });
        Take(b, Chunks);

        Assert.True(all.SetEquals(b.Taken)); // the same ten chunks, reused
    }

    [Fact]
    public void TakeChunk_OldBodyGrowing_NeverPushesOutANewerOne()
    {
        var budget = Budget();
        var evicted = new List<string>();
        using var older = budget.Open(() => evicted.Add("older"));
        using var newer = budget.Open(() => evicted.Add("newer"));
        Take(older, 5);
        Take(newer, 5);

        Assert.Null(TakeOne(older));

        Assert.Empty(evicted);
        Assert.Equal(Chunks * InflightBudget.ChunkSize, budget.Used);
    }

    [Fact]
    public void Dispose_HolderDone_ReturnsItsChunksForReuse()
    {
        var budget = Budget();
        var a = budget.Open(() => { });
        Take(a, 3);
        var taken = a.Taken.ToList();

        a.Dispose();
        using var b = budget.Open(() => { });

        Assert.Equal(0, budget.Used);
        Assert.Contains(TakeOne(b), taken);
    }
}
