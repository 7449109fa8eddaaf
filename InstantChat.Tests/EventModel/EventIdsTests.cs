using InstantChat.Core.EventModel;

namespace InstantChat.Tests.EventModel;

public sealed class EventIdsTests
{
    static readonly DateTimeOffset T0 = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void New_SameMillisecond_StrictlyIncreasing()
    {
        // The newest millisecond the process has seen, so the monotonic path is the one taken.
        var newest = new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 1000).Select(_ => EventIds.New(newest)).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(1000, ids.Distinct().Count());
    }

    [Fact]
    public void New_EarlierTimeAfterLater_SortsByTime()
    {
        var later = EventIds.New(T0.AddMilliseconds(5));
        var earlier = EventIds.New(T0.AddYears(-3));
        Assert.True(string.CompareOrdinal(earlier, later) < 0);
        Assert.True(string.CompareOrdinal(EventIds.MinFor(T0.AddYears(-3)), earlier) <= 0);
    }

    [Fact]
    public void MinFor_Instant_BoundsIdsOfThatInstant()
    {
        var at = T0.AddDays(400);
        var id = EventIds.New(at);
        Assert.True(string.CompareOrdinal(EventIds.MinFor(at), id) <= 0);
        Assert.True(string.CompareOrdinal(EventIds.MinFor(at.AddMilliseconds(1)), id) > 0);
    }

    [Fact]
    public void IsValid_OwnIds_True() => Assert.True(EventIds.IsValid(EventIds.New(T0)));

    [Theory]
    [InlineData("")]
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FA")]     // 25 chars
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAVX")]   // 27 chars
    [InlineData("01ARZ3NDEKTSV4RRFFQ69G5FAU")]    // U is not Crockford
    [InlineData("81ARZ3NDEKTSV4RRFFQ69G5FAV")]    // overflows 128 bits
    [InlineData("01arz3ndektsv4rrffq69g5fav")]
    public void IsValid_Garbage_False(string value) => Assert.False(EventIds.IsValid(value));
}
