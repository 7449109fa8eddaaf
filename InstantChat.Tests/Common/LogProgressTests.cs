using InstantChat.Core.Common;

namespace InstantChat.Tests.Common;

public sealed class LogProgressTests
{
    [Fact]
    public void Reset_AppendsWhileTheStoreWasRead_AreNotLost()
    {
        var progress = new LogProgress();
        progress.Appended(100);
        var mark = progress.Mark;
        progress.Appended(30); // while the store's count (100) was being read

        progress.Reset(100, mark);

        Assert.Equal(130, progress.Pending);
    }

    [Fact]
    public void Reset_ProcessingWhileTheStoreWasRead_NeverCountsLow()
    {
        var progress = new LogProgress();
        progress.Appended(100);
        var mark = progress.Mark;
        progress.Processed(40); // may or may not be in the store's count: assume it is not

        progress.Reset(100, mark);

        Assert.Equal(100, progress.Pending);
    }

    [Fact]
    public void Processed_MoreThanKnown_NeverBelowZero()
    {
        var progress = new LogProgress();
        progress.Processed(5);

        Assert.Equal(0, progress.Pending);
    }
}
