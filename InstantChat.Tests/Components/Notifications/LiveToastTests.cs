using InstantChat.Core.EventModel;
using InstantChat.Web.Components.Notifications;

namespace InstantChat.Tests.Components.Notifications;

public sealed class LiveToastTests
{
    static WebhookEvent Event(string type, string sender, string? username = null) => new()
    {
        EventId = EventIds.New(DateTimeOffset.UtcNow), EventType = type, SenderId = sender, Timestamp = DateTimeOffset.UtcNow,
        ReceivedAt = DateTimeOffset.UtcNow, DeduplicationKey = Guid.NewGuid().ToString(), DeliveryId = "d",
        UserInfo = new UserInfo(username, null, null),
    };

    [Fact]
    public void Add_OneEvent_NamesTypeAndSenderAndOpensTheEvent()
    {
        var toast = new LiveToast();
        var e = Event("comments", "556", "ann");

        toast.Add([e], fresh: true);

        Assert.Equal("New comments from ann", toast.Text);
        Assert.Equal($"/events?eventId={e.EventId}", toast.Href);
    }

    [Fact]
    public void Add_Burst_OneCountingTextNotAQueue()
    {
        var toast = new LiveToast();
        var burst = Enumerable.Range(0, 1000).Select(i => Event(i % 2 == 0 ? "messages" : "comments", $"{i}")).ToList();

        toast.Add(burst, fresh: true);

        Assert.Equal("1,000 new events · latest: comments from 999", toast.Text);
        Assert.Equal("/events", toast.Href);
    }

    [Fact]
    public void Add_WhileShowing_CountsOnAndOneTypeOpensItsList()
    {
        var toast = new LiveToast();
        var changes = 0;
        toast.Changed += () => changes++;

        toast.Add([Event("messages", "1")], fresh: true);
        toast.Add([Event("messages", "2"), Event("messages", "3")], fresh: false);

        Assert.Equal("3 new events · latest: messages from 3", toast.Text);
        Assert.Equal("/events?eventType=messages", toast.Href);
        Assert.Equal(2, changes);
    }

    [Fact]
    public void Add_AfterTheToastHasGone_StartsCountingAgain()
    {
        var toast = new LiveToast();
        toast.Add([Event("messages", "1"), Event("messages", "2")], fresh: true);

        toast.Add([Event("comments", "3")], fresh: true);

        Assert.Equal(1, toast.Count);
        Assert.Equal("New comments from 3", toast.Text);
    }
}
