using InstantChat.Core.EventModel;
using InstantChat.Web.Components.Shared;

namespace InstantChat.Tests.Components.Shared;

public sealed class FormatTests
{
    static WebhookEvent Event(string type, string? text = null, string? mediaType = null) => new()
    {
        EventId = EventIds.New(DateTimeOffset.UtcNow), EventType = type, Timestamp = DateTimeOffset.UtcNow, ReceivedAt = DateTimeOffset.UtcNow,
        DeduplicationKey = "k", DeliveryId = "d", Content = new EventContent(text, null, mediaType),
    };

    [Theory]
    [InlineData("messages", "hello", null, "hello")]
    [InlineData("messaging_seen", null, null, "seen")]
    [InlineData("messages", null, "image", "📷 image")]
    [InlineData("messages", null, "video", "🎥 video")]
    [InlineData("message_reactions", null, null, "reacted")]
    [InlineData("messages", null, null, "")]
    public void Summary_EventWithoutText_SaysWhatHappened(string type, string? text, string? media, string expected) =>
        Assert.Equal(expected, Format.Summary(Event(type, text, media)));

    [Fact]
    public void Local_OffsetKnown_ViewersZone_ElseUtcSaidSo()
    {
        var t = new DateTimeOffset(2026, 11, 30, 23, 30, 0, TimeSpan.Zero);

        Assert.Equal("2026-12-01 01:30:00", Format.Local(t, TimeSpan.FromHours(2)));
        Assert.Equal("2026-11-30 23:30:00 UTC", Format.Local(t, null));
    }

    [Fact]
    public void Activity_TodayTimeElseDate()
    {
        var now = new DateTimeOffset(2026, 11, 30, 15, 0, 0, TimeSpan.Zero);

        Assert.Equal("14:05", Format.Activity(now.AddMinutes(-55), TimeSpan.Zero, now));
        Assert.Equal("2026-11-29", Format.Activity(now.AddDays(-1), TimeSpan.Zero, now));
        Assert.Equal("", Format.Activity(null, null, now));
    }

    [Theory]
    [InlineData(0, "0 events")]
    [InlineData(1, "1 event")]
    [InlineData(1234, "1,234 events")]
    public void Count_AnyNumber_NounAgrees(long n, string expected) => Assert.Equal(expected, Format.Count(n, "event"));
}
