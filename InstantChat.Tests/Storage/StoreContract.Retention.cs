using InstantChat.Core.Retention;
using InstantChat.Core.Stats;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace InstantChat.Tests.Storage;

public abstract partial class StoreContract
{
    [Fact]
    public async Task Purge_OldFinishedEvents_GoneWithTheirDeliveriesButCountersStay()
    {
        var old = await CommitAsync(Deliveries.Envelope(Deliveries.Message("old1", "x"), Deliveries.Message("old2", "y")), T0.AddDays(-40));
        var stuck = await CommitAsync(Deliveries.Envelope(Deliveries.Message("old-pending", "z")), T0.AddDays(-40));
        var recent = await CommitAsync(Deliveries.Envelope(Deliveries.Message("new1", "x")), T0);
        var claimed = await Queue.ClaimAsync(new ClaimRequest(10, T0, TimeSpan.FromSeconds(30), "w", EventIds: old.Inserted.Select(e => e.EventId).ToList()), default);
        await Queue.CompleteAsync(claimed.Select(e => new AttemptOutcome(e, ProcessingStatus.Completed, T0, T0, 1, null, null)).ToList(), "w", default);
        var stats = new StatsService(Stats, Stores.Consumer, new FakeTimeProvider(T0));
        var totalBefore = (await stats.ReportAsync(default)).Total;

        var deleted = await Retention.PurgeAsync(T0.AddDays(-30), 100, default);

        Assert.Equal(2, deleted);
        Assert.Equal(["new1", "old-pending"], (await AllAsync()).Select(e => e.DeduplicationKey.Split(':')[^1]).Order());
        Assert.Null(await Events.FindDeliveryAsync(old.Inserted[0].DeliveryId, default));
        Assert.NotNull(await Events.FindDeliveryAsync(stuck.Inserted[0].DeliveryId, default)); // still needed by an unfinished event
        Assert.NotNull(await Events.FindDeliveryAsync(recent.Inserted[0].DeliveryId, default));
        Assert.Empty(await Queue.AttemptsAsync(old.Inserted[0].EventId, default));
        Assert.Equal(totalBefore, (await stats.ReportAsync(default)).Total);
        Assert.Equal(0, await Retention.PurgeAsync(T0.AddDays(-30), 100, default));
    }

    [Fact]
    public async Task Purge_OldProcessedLogEntries_BytesGoneExceptWhereStillNeeded()
    {
        var done = Deliveries.Envelope(Deliveries.Message("log-old", "x"));
        var stuck = Deliveries.Envelope(Deliveries.Message("log-stuck", "y"));
        var recent = Deliveries.Envelope(Deliveries.Message("log-new", "z"));
        var appends = new[] { (done, T0.AddDays(-40)), (stuck, T0.AddDays(-40)), (recent, T0) }
            .Select(x => new LogAppend(EventIds.New(x.Item2), x.Item2, "application/json", x.Item1, null)).ToList();
        await Stores.Log.AppendAsync(appends, default);
        var taken = await Stores.Consumer.TakeAsync(10, 1 << 20, default);
        var batches = taken.Entries.Select(e => new IngestBatch(new Delivery(e.DeliveryId, e.ReceivedAt, e.ContentType, e.Body),
            _parser.Parse(e.Body, e.DeliveryId, e.ReceivedAt), null, e.Seq)).ToList();
        var results = await Ingest.CommitAsync(batches, taken, default);
        // Both old ids carry the same millisecond: the log may hand them out in either order.
        var finished = results.SelectMany(r => r.Inserted).Where(e => e.DeliveryId == appends[0].DeliveryId).Select(e => e.EventId).ToList();
        var claimed = await Queue.ClaimAsync(new ClaimRequest(10, T0, TimeSpan.FromSeconds(30), "w", EventIds: finished), default);
        await Queue.CompleteAsync(claimed.Select(e => new AttemptOutcome(e, ProcessingStatus.Completed, T0, T0, 1, null, null)).ToList(), "w", default);

        Assert.Equal(1, await Retention.PurgeAsync(T0.AddDays(-30), 100, default));

        Assert.Null(await Events.FindDeliveryAsync(appends[0].DeliveryId, default));
        Assert.Equal(stuck, (await Events.FindDeliveryAsync(appends[1].DeliveryId, default))?.Body); // its event is unfinished
        Assert.Equal(recent, (await Events.FindDeliveryAsync(appends[2].DeliveryId, default))?.Body);
        Assert.Equal(stuck.Length + recent.Length, await Stores.StoredBodyBytesAsync());
    }
}
