using InstantChat.Core.Common;

namespace InstantChat.Tests.Common;

public sealed class BackgroundLaneTests
{
    [Fact]
    public async Task Run_OnLinux_WorkRunsUnderSchedIdle()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "SCHED_IDLE is Linux's; elsewhere the lane keeps the normal priority.");
        using var lane = new BackgroundLane(threads: 1);

        // Field 41 of a thread's stat is its scheduling policy; 5 is SCHED_IDLE. Read from inside the
        // work and again after an await, which must continue on the lane.
        var (before, after) = (0, 0);
        await lane.Run(async () =>
        {
            before = Policy();
            await Task.Yield();
            after = Policy();
        });

        Assert.True(lane.Lowered);
        Assert.Equal((5, 5), (before, after));
    }

    [Fact]
    public async Task Run_WorkThatThrows_FaultsItsTaskAndTheLaneGoesOn()
    {
        using var lane = new BackgroundLane(threads: 1);

        await Assert.ThrowsAsync<InvalidOperationException>(() => lane.Run(() => throw new InvalidOperationException("boom")));
        var ran = false;
        await lane.Run(() =>
        {
            ran = true;
            return Task.CompletedTask;
        });
        Assert.True(ran);
    }

    static int Policy()
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[41 - 3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
