using InstantChat.Core.Common;

namespace InstantChat.Tests.Common;

public sealed class BackgroundLaneTests
{
    [Fact]
    public async Task Run_NoBurst_WorkRunsAtNice19()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "The lane lowers its threads on Linux only.");
        using var lane = new BackgroundLane(threads: 1, backlog: new LogProgress());

        var (policy, nice) = (-1, -1);
        await lane.Run(() =>
        {
            (policy, nice) = (Stat(41), Stat(19));
            return Task.CompletedTask;
        });

        Assert.True(lane.Lowered);
        Assert.Equal((0, BackgroundLane.Nice), (policy, nice)); // SCHED_OTHER at nice 19
    }

    [Fact]
    public async Task Run_DuringABurst_WorkRunsUnderSchedIdleAndBackAfter()
    {
        Assert.SkipUnless(OperatingSystem.IsLinux(), "SCHED_IDLE is Linux's.");
        var backlog = new LogProgress();
        using var lane = new BackgroundLane(threads: 1, backlog: backlog);
        backlog.Appended((int)LogProgress.BurstBacklog);

        // Read from inside the work and again after an await, which must continue on the lane.
        var (during, afterAwait, after) = (0, 0, 0);
        await lane.Run(async () =>
        {
            during = Stat(41);
            await Task.Yield();
            afterAwait = Stat(41);
        });
        backlog.Processed((int)LogProgress.BurstBacklog);
        await lane.Run(() =>
        {
            after = Stat(41);
            return Task.CompletedTask;
        });

        Assert.Equal((5, 5, 0), (during, afterAwait, after)); // 5: SCHED_IDLE
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

    /// <summary>A field of this thread's /proc stat: 19 is its nice value, 41 its scheduling policy.</summary>
    static int Stat(int field)
    {
        var stat = File.ReadAllText("/proc/thread-self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[field - 3], System.Globalization.CultureInfo.InvariantCulture);
    }
}
