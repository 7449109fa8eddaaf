using InstantChat.Core.Outbound;

namespace InstantChat.Tests.Common;

public sealed class WakeSignalTests
{
    static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task Notify_ManyTimesWhileBusy_WakesOnce()
    {
        var signal = new OutboundSignal();
        for (var i = 0; i < 1_000; i++) signal.Notify();

        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(1), None));
        Assert.False(await signal.WaitAsync(TimeSpan.FromMilliseconds(50), None));
    }

    [Fact]
    public async Task Notify_AfterAWake_WakesAgain()
    {
        var signal = new OutboundSignal();
        signal.Notify();
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(1), None));

        signal.Notify();
        Assert.True(await signal.WaitAsync(TimeSpan.FromSeconds(1), None));
    }

    [Fact]
    public async Task Notify_WhileWaiting_WakesTheWaiter()
    {
        var signal = new OutboundSignal();
        var waiting = signal.WaitAsync(TimeSpan.FromSeconds(5), None);
        signal.Notify();
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(2)));
    }
}
