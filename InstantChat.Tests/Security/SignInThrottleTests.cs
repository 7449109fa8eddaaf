using InstantChat.Core.Security;
using Microsoft.Extensions.Time.Testing;

namespace InstantChat.Tests.Security;

public sealed class SignInThrottleTests
{
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 30, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void TryStart_PastTheFreeAttempts_WaitsGrowAndAreCapped()
    {
        var throttle = new SignInThrottle(_clock);
        string[] keys = ["user:admin"];
        for (var i = 0; i < SignInThrottle.FreeAttempts; i++) Assert.True(throttle.TryStart(keys, out _));

        var waits = new List<TimeSpan>();
        for (var i = 0; i < 12; i++)
        {
            Assert.False(throttle.TryStart(keys, out var wait));
            waits.Add(wait);
            _clock.Advance(wait);
            Assert.True(throttle.TryStart(keys, out _));
        }

        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300], waits.Select(w => w.TotalSeconds));
    }

    [Fact]
    public void TryStart_OneKeyWaiting_RefusesTheAttemptAndCountsItNowhere()
    {
        var throttle = new SignInThrottle(_clock);
        for (var i = 0; i < SignInThrottle.FreeAttempts; i++) throttle.TryStart(["user:admin"], out _);

        Assert.False(throttle.TryStart(["address:10.0.0.1", "user:admin"], out _));
        for (var i = 0; i < SignInThrottle.FreeAttempts; i++) Assert.True(throttle.TryStart(["address:10.0.0.1", "user:bob"], out _));
    }

    [Fact]
    public void Succeeded_AfterFailures_TheKeyStartsAfresh()
    {
        var throttle = new SignInThrottle(_clock);
        for (var i = 0; i < SignInThrottle.FreeAttempts; i++) throttle.TryStart(["device:1"], out _);
        throttle.Succeeded(["device:1"]);

        Assert.True(throttle.TryStart(["device:1"], out _));
    }

    [Fact]
    public void TryStart_IdleForHalfAnHour_ForgetsTheAttempts()
    {
        var throttle = new SignInThrottle(_clock);
        for (var i = 0; i < SignInThrottle.FreeAttempts + 3; i++) { throttle.TryStart(["user:admin"], out var wait); _clock.Advance(wait); }

        _clock.Advance(SignInThrottle.ForgetAfter);

        for (var i = 0; i < SignInThrottle.FreeAttempts; i++) Assert.True(throttle.TryStart(["user:admin"], out _));
    }

    [Fact]
    public void TryStart_FloodOfRandomNames_StaysBoundedAndKeepsTheThrottledName()
    {
        var throttle = new SignInThrottle(_clock);
        for (var i = 0; i < SignInThrottle.FreeAttempts; i++) throttle.TryStart(["user:admin"], out _);
        Assert.False(throttle.TryStart(["user:admin"], out _));

        for (var i = 0; i < SignInThrottle.Capacity * 2; i++) throttle.TryStart([$"user:random{i}"], out _);

        Assert.True(throttle.Count <= SignInThrottle.Capacity, $"{throttle.Count} entries");
        Assert.False(throttle.TryStart(["user:admin"], out _));
    }
}
