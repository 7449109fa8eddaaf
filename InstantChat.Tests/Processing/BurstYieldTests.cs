using InstantChat.Core.Common;
using InstantChat.Core.Processing;

namespace InstantChat.Tests.Processing;

public sealed class BurstYieldTests
{
    static (LogProgress Progress, BurstYield Yield) Make(long backlog, long maxBacklog = 2_000_000)
    {
        var progress = new LogProgress();
        progress.Appended((int)backlog);
        return (progress, new BurstYield(progress, maxBacklog, TimeProvider.System));
    }

    [Fact]
    public async Task StandAside_SmallBacklog_ProcessesAtOnce()
    {
        var (_, burst) = Make(LogProgress.BurstBacklog - 1);

        var started = DateTimeOffset.UtcNow;
        Assert.False(await burst.StandAsideAsync(TestContext.Current.CancellationToken));
        Assert.True(DateTimeOffset.UtcNow - started < BurstYield.Step, "no wait outside a burst");
    }

    [Fact]
    public async Task StandAside_BacklogAndDeliveriesArriving_StandsAside()
    {
        var (progress, burst) = Make(LogProgress.BurstBacklog);
        using var stop = new CancellationTokenSource();
        var arriving = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) { progress.Appended(20); await Task.Delay(5); }
        });

        var aside = await burst.StandAsideAsync(TestContext.Current.CancellationToken);
        await stop.CancelAsync();
        await arriving;

        Assert.True(aside);
    }

    [Fact]
    public async Task StandAside_BacklogButArrivalsStopped_Processes()
    {
        var (_, burst) = Make(LogProgress.BurstBacklog * 2);

        Assert.False(await burst.StandAsideAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task StandAside_BacklogPastAQuarterOfTheBound_ProcessesEvenWhileArriving()
    {
        var (progress, burst) = Make(50_000, maxBacklog: 200_000);
        progress.Appended(1); // 50,001 > 200,000 / 4

        Assert.False(burst.Waiting);
        Assert.False(await burst.StandAsideAsync(TestContext.Current.CancellationToken));
    }
}
