using InstantChat.Core.EventModel;
using InstantChat.Web.Components.Notifications;
using Microsoft.Extensions.Time.Testing;

namespace InstantChat.Tests.Components.Notifications;

public sealed class ToastBatcherTests
{
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));

    static WebhookEvent Event(string type, string sender, string? username = null) => new()
    {
        EventId = EventIds.New(DateTimeOffset.UtcNow), EventType = type, SenderId = sender, Timestamp = DateTimeOffset.UtcNow,
        ReceivedAt = DateTimeOffset.UtcNow, DeduplicationKey = Guid.NewGuid().ToString(), DeliveryId = "d",
        UserInfo = new UserInfo(username, null, null),
    };

    [Fact]
    public void Add_FewEvents_OneToastEachNamingTypeAndSender()
    {
        var toasts = new ToastBatcher(_clock).Add([Event("messages", "555"), Event("comments", "556", "ann")]);
        Assert.Equal(["New messages from 555", "New comments from ann"], toasts);
    }

    [Fact]
    public void Add_Burst_OneSummaryInsteadOfAFlood()
    {
        var batcher = new ToastBatcher(_clock);
        var burst = Enumerable.Range(0, 1000).Select(i => Event(i % 2 == 0 ? "messages" : "comments", $"{i}")).ToList();

        var toasts = batcher.Add(burst);

        Assert.Equal(["1000 new events (500 messages, 500 comments)"], toasts);
    }

    [Fact]
    public void Add_MoreWithinTheWindow_SummarisedUntilItPasses()
    {
        var batcher = new ToastBatcher(_clock);
        Assert.Equal(3, batcher.Add([Event("messages", "1"), Event("messages", "2"), Event("messages", "3")]).Count);
        Assert.Equal(["1 new events (1 messages)"], batcher.Add([Event("messages", "4")]));

        _clock.Advance(TimeSpan.FromSeconds(3));

        Assert.Equal(["New messages from 5"], batcher.Add([Event("messages", "5")]));
    }
}
