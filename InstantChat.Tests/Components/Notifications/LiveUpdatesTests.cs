using InstantChat.Core.Notifications;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using InstantChat.Web.Components.Notifications;
using Microsoft.Extensions.Time.Testing;

namespace InstantChat.Tests.Components.Notifications;

public sealed class LiveUpdatesTests : IDisposable
{
    static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    readonly InProcessEventFeed _feed = new();
    readonly List<LiveBatch> _batches = [];
    readonly LiveUpdates _live;

    public LiveUpdatesTests() => _live = new LiveUpdates(_feed, _clock, Interval, b => { lock (_batches) _batches.Add(b); return Task.CompletedTask; });

    public void Dispose() => _live.Dispose();

    static int _sequence;

    static WebhookEvent Event(ProcessingStatus status = ProcessingStatus.Pending, string? id = null) => new()
    {
        EventId = id ?? $"01KZ{Interlocked.Increment(ref _sequence):D22}", EventType = "messages", SenderId = "555", Timestamp = DateTimeOffset.UtcNow,
        ReceivedAt = DateTimeOffset.UtcNow, DeduplicationKey = Guid.NewGuid().ToString(), DeliveryId = "d", ProcessedStatus = status,
    };

    [Fact]
    public void Publish_ThousandWithinOneInterval_OneCallbackCountingAllKeepingAtMostTheCap()
    {
        var events = Enumerable.Range(0, 1000).Select(_ => Event()).ToList();
        foreach (var chunk in events.Chunk(100)) _feed.Publish(EventChange.Received, chunk);
        _clock.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Assert.Empty(_batches);

        _clock.Advance(TimeSpan.FromMilliseconds(1));

        var batch = Assert.Single(_batches);
        Assert.Equal(1000, batch.ReceivedCount);
        Assert.Equal(LiveUpdates.MaxBuffered, batch.Received.Count);
        Assert.Equal(1000 - LiveUpdates.MaxBuffered, batch.Dropped);
        Assert.Empty(batch.Updated);
        // The first ones are kept, oldest first.
        Assert.Equal(events.Take(LiveUpdates.MaxBuffered).Select(e => e.EventId), batch.Received.Select(e => e.EventId));

        _clock.Advance(Interval * 5);

        Assert.Single(_batches);
    }

    [Fact]
    public void Publish_ReceivedThenUpdatedInOneWindow_StillReceivedWithItsLatestState()
    {
        var received = Event(ProcessingStatus.Pending);
        _feed.Publish(EventChange.Received, [received]);
        _feed.Publish(EventChange.Updated, [received with { ProcessedStatus = ProcessingStatus.Completed, Attempts = 1 }]);

        _clock.Advance(Interval);

        var batch = Assert.Single(_batches);
        var only = Assert.Single(batch.Received);
        Assert.Equal((received.EventId, ProcessingStatus.Completed, 1), (only.EventId, only.ProcessedStatus, only.Attempts));
        Assert.Empty(batch.Updated);
        Assert.Equal(1, batch.ReceivedCount);
        Assert.Equal(0, batch.Dropped);
    }

    [Fact]
    public void Publish_UpdatedTwice_OneUpdateWithTheLatestState()
    {
        var e = Event(ProcessingStatus.Processing);
        _feed.Publish(EventChange.Updated, [e]);
        _feed.Publish(EventChange.Updated, [e with { ProcessedStatus = ProcessingStatus.Failed }]);

        _clock.Advance(Interval);

        var batch = Assert.Single(_batches);
        Assert.Equal(ProcessingStatus.Failed, Assert.Single(batch.Updated).ProcessedStatus);
        Assert.Empty(batch.Received);
        Assert.Equal(0, batch.ReceivedCount);
    }

    [Fact]
    public void Publish_InTwoWindows_OneCallbackEach()
    {
        _feed.Publish(EventChange.Received, [Event()]);
        _clock.Advance(Interval);
        _feed.Publish(EventChange.Received, [Event(), Event()]);
        _clock.Advance(Interval);

        Assert.Equal([1, 2], _batches.Select(b => b.ReceivedCount));
    }

    [Fact]
    public void NothingPublished_NoCallback()
    {
        _clock.Advance(Interval * 10);

        Assert.Empty(_batches);
    }

    [Fact]
    public void Dispose_WithAPendingWindow_NoCallbackThenOrLater()
    {
        _feed.Publish(EventChange.Received, [Event()]);

        _live.Dispose();
        _clock.Advance(Interval * 3);
        _feed.Publish(EventChange.Received, [Event()]);
        _clock.Advance(Interval * 3);

        Assert.Empty(_batches);
    }
}
