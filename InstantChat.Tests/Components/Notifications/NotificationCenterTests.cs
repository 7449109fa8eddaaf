using InstantChat.Core.EventModel;
using InstantChat.Web.Components.Notifications;

namespace InstantChat.Tests.Components.Notifications;

public sealed class NotificationCenterTests
{
    readonly NotificationCenter _center = new();

    static int _sequence;

    static WebhookEvent Event(string type = "messages", string sender = "555") => new()
    {
        EventId = $"01KZ{Interlocked.Increment(ref _sequence):D22}", EventType = type, SenderId = sender, Timestamp = DateTimeOffset.UtcNow,
        ReceivedAt = DateTimeOffset.UtcNow, DeduplicationKey = Guid.NewGuid().ToString(), DeliveryId = "d",
    };

    static List<WebhookEvent> Events(int count, string type = "messages") => Enumerable.Range(0, count).Select(_ => Event(type)).ToList();

    [Fact]
    public void Add_Events_UnreadCountsThemNewestFirst()
    {
        var changed = 0;
        _center.Changed += () => changed++;
        var events = new[] { Event("messages", "555"), Event("comments", "777") };

        _center.Add(events);

        Assert.Equal(2, _center.Unread);
        Assert.Equal([events[1].EventId, events[0].EventId], _center.Items.Select(n => n.EventId));
        Assert.Equal(["New comments from 777", "New messages from 555"], _center.Items.Select(n => n.Text));
        Assert.All(_center.Items, n => Assert.False(n.Read));
        Assert.Equal(1, changed);
    }

    [Fact]
    public void Add_OverCapacity_OldestDroppedAndUnreadStaysAtTheCap()
    {
        var events = Events(NotificationCenter.Capacity + 5);

        _center.Add(events);

        Assert.Equal(NotificationCenter.Capacity, _center.Items.Count);
        Assert.Equal(NotificationCenter.Capacity, _center.Unread);
        Assert.Equal(events[^1].EventId, _center.Items.First().EventId);
        Assert.Equal(events[5].EventId, _center.Items.Last().EventId);
        Assert.DoesNotContain(_center.Items, n => n.EventId == events[4].EventId);
    }

    [Fact]
    public void Add_OverCapacityAfterMarkAllRead_DroppingReadOnesKeepsTheUnreadCount()
    {
        _center.Add(Events(NotificationCenter.Capacity));
        _center.MarkAllRead();

        _center.Add(Events(3));

        Assert.Equal(NotificationCenter.Capacity, _center.Items.Count);
        Assert.Equal(3, _center.Unread);
        Assert.Equal(3, _center.Items.Count(n => !n.Read));
    }

    [Fact]
    public void MarkAllRead_ZeroUnreadEveryItemRead()
    {
        _center.Add(Events(4));
        var changed = 0;
        _center.Changed += () => changed++;

        _center.MarkAllRead();

        Assert.Equal(0, _center.Unread);
        Assert.All(_center.Items, n => Assert.True(n.Read));
        Assert.Equal(4, _center.Items.Count);
        Assert.Equal(1, changed);
    }

    [Fact]
    public void Filter_ByType_OnlyThatTypeAndNoneOrEmptyMeansAll()
    {
        _center.Add([Event("messages"), Event("comments"), Event("messages"), Event("mentions")]);

        Assert.Equal(2, _center.Filter("messages").Count());
        Assert.All(_center.Filter("messages"), n => Assert.Equal("messages", n.EventType));
        Assert.Equal("comments", Assert.Single(_center.Filter("comments")).EventType);
        Assert.Empty(_center.Filter("story_insights"));
        Assert.Equal(4, _center.Filter(null).Count());
        Assert.Equal(4, _center.Filter("").Count());
    }
}
