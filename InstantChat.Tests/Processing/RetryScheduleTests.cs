using InstantChat.Core.Processing;
using Microsoft.Extensions.Time.Testing;

namespace InstantChat.Tests.Processing;

public sealed class RetryScheduleTests
{
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    [Theory]
    [InlineData(1, 5_000)]
    [InlineData(2, 10_000)]
    [InlineData(3, 20_000)]
    [InlineData(6, 160_000)]
    public void BaseDelayAfter_Attempt_DoublesEachTime(int attempt, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), new RetrySchedule(TimeSpan.FromSeconds(5), 10, _clock).BaseDelayAfter(attempt));

    [Fact]
    public void BaseDelayAfter_ManyAttempts_CappedAtOneHour() =>
        Assert.Equal(TimeSpan.FromHours(1), new RetrySchedule(TimeSpan.FromSeconds(5), 50, _clock).BaseDelayAfter(40));

    [Fact]
    public void NextAttemptAfter_Jitter_StaysWithinTwentyPercent()
    {
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(5), 3, _clock, new Random(42));
        var delays = Enumerable.Range(0, 500).Select(_ => (schedule.NextAttemptAfter(2)!.Value - _clock.GetUtcNow()).TotalMilliseconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, 8_000, 12_000));
        Assert.True(delays.Distinct().Count() > 100, "jitter spreads the retries");
    }

    [Fact]
    public void NextAttemptAfter_FollowsTheClock()
    {
        var schedule = new RetrySchedule(TimeSpan.FromSeconds(5), 3, _clock, new Random(1));
        var first = schedule.NextAttemptAfter(1)!.Value;
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.True(schedule.NextAttemptAfter(1)!.Value >= first.AddMinutes(9));
    }

    [Theory]
    [InlineData(3, null, true)]
    [InlineData(2, null, false)]
    [InlineData(2, 2, true)]
    [InlineData(3, 5, false)]
    public void NextAttemptAfter_LastAttempt_ReturnsNull(int attempt, int? attemptsOverride, bool last) =>
        Assert.Equal(last, new RetrySchedule(TimeSpan.FromSeconds(5), 3, _clock).NextAttemptAfter(attempt, attemptsOverride) is null);
}
