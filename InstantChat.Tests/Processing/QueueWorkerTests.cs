using System.Collections.Concurrent;
using InstantChat.Core.Notifications;
using InstantChat.Core.Processing;
using InstantChat.Core.Storage;
using InstantChat.Core.Storage.Sqlite;
using InstantChat.Core.Subscriptions;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace InstantChat.Tests.Processing;

/// <summary>The worker against a real SQLite queue, with handlers that count or fail on demand.</summary>
public sealed class QueueWorkerTests : IDisposable
{
    readonly SqliteStores _stores = new();
    readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    readonly CountingHandler _handler = new();
    Core.Outbound.DestinationDirectory Destinations => _destinations ??= new(_stores.Destinations, _clock, NullLogger<Core.Outbound.DestinationDirectory>.Instance);
    Core.Outbound.DestinationDirectory? _destinations;

    public void Dispose() => _stores.Dispose();

    QueueWorker Worker(int batchSize = 10, IEventFeed? feed = null, IEventHandler[]? handlers = null)
    {
        var options = Options.Create(new WebhookOptions { BatchSize = batchSize, RetryAttempts = 3, RetryDelayMs = 5_000, WorkerParallelism = 4 });
        var subscriptions = new SubscriptionDirectory(_stores.Subscriptions, _clock, NullLogger<SubscriptionDirectory>.Instance);
        var signal = new QueueSignal();
        return new(_stores.Queue, new AttemptRunner(new HandlerRegistry(handlers ?? [_handler]), subscriptions, options, _clock, NullLogger<AttemptRunner>.Instance),
            new SqliteBusinessWrites(_stores.Writer), _stores.Bodies, new Reparser(_stores.Events, _stores.Queue, new Core.Parsing.MetaParser(), signal),
            signal, feed ?? new InProcessEventFeed(), TestMetrics.Create(), subscriptions, Destinations, new Core.Outbound.OutboundSignal(), options, _clock, NullLogger<QueueWorker>.Instance);
    }

    async Task<List<WebhookEvent>> IngestAsync(params (string Mid, string Text)[] messages)
    {
        var body = Deliveries.Envelope(messages.Select(m => Deliveries.Message(m.Mid, m.Text)).ToArray());
        var at = _clock.GetUtcNow();
        var id = EventIds.New(at);
        var events = new Core.Parsing.MetaParser().Parse(body, id, at);
        await _stores.Ingest.CommitAsync([new IngestBatch(new Delivery(id, at, "application/json", body), events)], default);
        return events.ToList();
    }

    async Task<WebhookEvent> StoredAsync(string eventId) => (await _stores.Events.FindAsync(eventId, default))!;

    [Fact]
    public async Task Drain_ParallelWorkers_ProcessEveryEventExactlyOnce()
    {
        await IngestAsync(Enumerable.Range(0, 300).Select(i => ($"m{i}", "ok")).ToArray());
        var workers = Enumerable.Range(0, 4).Select(_ => Worker(batchSize: 7)).ToList();

        await Task.WhenAll(workers.Select(w => Task.Run(async () => { while (await w.DrainOnceAsync(default) > 0) { } })));

        Assert.Equal(300, _handler.Seen.Count);
        Assert.All(_handler.Seen.GroupBy(id => id), g => Assert.Single(g));
        var all = (await _stores.Events.ListAsync(new EventQuery(Limit: 500), default)).Items;
        Assert.All(all, e => Assert.Equal((ProcessingStatus.Completed, 1), (e.ProcessedStatus, e.Attempts)));
    }

    [Fact]
    public async Task Drain_FailingHandler_RetriesWithBackoffThenFails()
    {
        var e = (await IngestAsync(("m1", "fail")))[0];
        var worker = Worker();

        await worker.DrainOnceAsync(default);
        var afterFirst = await StoredAsync(e.EventId);
        Assert.Equal((ProcessingStatus.Pending, 1, "InvalidOperationException: boom"), (afterFirst.ProcessedStatus, afterFirst.Attempts, afterFirst.LastError));
        Assert.InRange((afterFirst.NextAttemptAt!.Value - _clock.GetUtcNow()).TotalMilliseconds, 4_000, 6_000);

        Assert.Equal(0, await worker.DrainOnceAsync(default)); // not due yet
        _clock.Advance(TimeSpan.FromSeconds(6));
        await worker.DrainOnceAsync(default);
        Assert.InRange(((await StoredAsync(e.EventId)).NextAttemptAt!.Value - _clock.GetUtcNow()).TotalMilliseconds, 8_000, 12_000);
        _clock.Advance(TimeSpan.FromSeconds(12));
        await worker.DrainOnceAsync(default);

        var final = await StoredAsync(e.EventId);
        Assert.Equal((ProcessingStatus.Failed, 3, "InvalidOperationException: boom"), (final.ProcessedStatus, final.Attempts, final.LastError));
        Assert.NotNull(final.ProcessedAt);
        Assert.Null(final.NextAttemptAt);
        Assert.Equal(3, (await _stores.Queue.AttemptsAsync(e.EventId, default)).Count);
    }

    [Fact]
    public async Task Drain_PoisonEvent_DoesNotBlockTheOthers()
    {
        var events = await IngestAsync(("m1", "fail"), ("m2", "ok"), ("m3", "ok"));

        await Worker().DrainOnceAsync(default);

        Assert.Equal(ProcessingStatus.Pending, (await StoredAsync(events[0].EventId)).ProcessedStatus);
        Assert.Equal(ProcessingStatus.Completed, (await StoredAsync(events[1].EventId)).ProcessedStatus);
        Assert.Equal(ProcessingStatus.Completed, (await StoredAsync(events[2].EventId)).ProcessedStatus);
    }

    [Fact]
    public async Task Drain_NoHandlerForTheField_Skips()
    {
        var e = (await IngestAsync(("m1", "ok")))[0];
        var worker = Worker(handlers: []);

        await worker.DrainOnceAsync(default);

        var stored = await StoredAsync(e.EventId);
        Assert.Equal((ProcessingStatus.Skipped, (string?)null), (stored.ProcessedStatus, stored.LastError));
    }

    [Fact]
    public async Task Drain_Outcome_RecordsProcessingTimeAndPublishesUpdates()
    {
        var e = (await IngestAsync(("m1", "ok")))[0];
        var feed = new InProcessEventFeed();
        var published = new List<WebhookEvent>();
        using var _ = feed.Subscribe((change, events) => { if (change == EventChange.Updated) published.AddRange(events); });
        var worker = Worker(feed: feed);

        await worker.DrainOnceAsync(default);

        var stored = await StoredAsync(e.EventId);
        Assert.Equal(_clock.GetUtcNow(), stored.ProcessedAt);
        Assert.NotNull(stored.ProcessingMs);
        Assert.Equal(e.EventId, Assert.Single(published).EventId);
    }

    /// <summary>Counts what it handles; fails every event whose text is "fail".</summary>
    sealed class CountingHandler : IEventHandler
    {
        public ConcurrentBag<string> Seen { get; } = [];
        public IReadOnlyCollection<string> Platforms { get; } = [Core.EventModel.Platforms.Instagram];
        public IReadOnlyCollection<string> EventTypes { get; } = [Core.EventModel.EventTypes.Messages];

        public BusinessWrite? Plan(WebhookEvent e, System.Text.Json.JsonElement update)
        {
            if (e.Content.Text == "fail") throw new InvalidOperationException("boom");
            Seen.Add(e.EventId);
            return new Core.Conversations.MessageWrite(e.AccountId!, e.EventId, $"{e.AccountId}-{e.SenderId}", e.SenderId!, e.Timestamp);
        }
    }
}
