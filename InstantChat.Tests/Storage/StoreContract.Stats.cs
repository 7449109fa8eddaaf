using System.Text.Json;
using InstantChat.Core.Stats;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using InstantChat.Tests.Parsing;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace InstantChat.Tests.Storage;

public abstract partial class StoreContract
{
    /// <summary>9 events: 6 messages (alice ×4, bob ×2) on two accounts, 2 comments, 1 unparseable; then 4 completed, 1 failed, 1 retry pending.</summary>
    async Task<StatsService> KnownHistoryAsync()
    {
        await CommitAsync(Deliveries.Envelope("acct-a", Deliveries.Message("m1", "x", "alice"), Deliveries.Message("m2", "x", "alice"), Deliveries.Message("m3", "x", "bob")), T0);
        await CommitAsync(Deliveries.Envelope("acct-b", Deliveries.Message("m4", "x", "alice"), Deliveries.Message("m5", "x", "alice"), Deliveries.Message("m6", "x", "bob")), T0);
        await CommitAsync(Fixture.Load("comments"), T0);
        await CommitAsync(Fixture.Load("comments_reply"), T0);
        await CommitAsync("not json"u8.ToArray(), T0);
        var at = T0.AddSeconds(1);
        var claimed = await Queue.ClaimAsync(6, at, TimeSpan.FromSeconds(30), "w", default);
        AttemptOutcome Outcome(int i, ProcessingStatus s, double ms) =>
            new(claimed[i], s, at, at.AddMilliseconds(ms), ms, s == ProcessingStatus.Completed ? null : "boom", s == ProcessingStatus.Pending ? at.AddMinutes(1) : null);
        await Queue.CompleteAsync([Outcome(0, ProcessingStatus.Completed, 10), Outcome(1, ProcessingStatus.Completed, 20), Outcome(2, ProcessingStatus.Completed, 30),
            Outcome(3, ProcessingStatus.Completed, 40), Outcome(4, ProcessingStatus.Failed, 50), Outcome(5, ProcessingStatus.Pending, 60)], "w", default);
        return new StatsService(Stats, Stores.Consumer, new FakeTimeProvider(at.AddSeconds(30)));
    }

    [Fact]
    public async Task Stats_KnownEvents_CountedExactly()
    {
        var report = await (await KnownHistoryAsync()).ReportAsync(default);

        Assert.Equal(9, report.Total);
        Assert.Equal(new Dictionary<string, long> { ["completed"] = 4, ["failed"] = 2, ["pending"] = 3, ["processing"] = 0 },
            report.ByStatus.Where(kv => kv.Value != 0 || kv.Key == "processing").ToDictionary());
        Assert.Equal(new Dictionary<string, long> { ["messages"] = 6, ["comments"] = 2, ["unknown"] = 1 }, report.ByType);
        Assert.Equal(Math.Round(4.0 / 6, 4), report.SuccessRate);
        Assert.Equal(Math.Round(2.0 / 6, 4), report.ErrorRate);
        Assert.Equal(35, report.AverageProcessingMs);
        Assert.Equal(3, report.QueueLength);
        Assert.Equal(["acct-a:3", "acct-b:3"], report.EventsPerAccount.Where(k => k.Key.StartsWith("acct")).Select(k => $"{k.Key}:{k.Count}").Order());
        Assert.Equal(("alice", 4L), (report.TopSenders[0].Key, report.TopSenders[0].Count));
        Assert.Equal(9, report.Last24Hours.Sum(h => h.Received));
        Assert.Equal((4, 1), (report.Last24Hours.Sum(h => h.Processed), report.Last24Hours.Sum(h => h.Failed)));
        Assert.Equal(168, report.Last7Days.Count);
        // Received at T0, finished 1.01–1.05 s later: all five in the (1 s, 2.5 s] bucket.
        Assert.Equal((5L, 2_500L, 2_500L), (report.Latency.Samples, report.Latency.P50Ms!.Value, report.Latency.P95Ms!.Value));
        Assert.Equal(Math.Round(5 / 60.0, 2), report.ThroughputPerSecond);
    }

    [Fact]
    public async Task Stats_AfterRequeue_MoveTheEventBackToPending()
    {
        var service = await KnownHistoryAsync();
        var failed = (await AllAsync(new EventQuery(Status: ProcessingStatus.Failed))).Single(e => e.EventType != EventTypes.Unknown);

        await Queue.RequeueAsync(failed.EventId, T0.AddMinutes(2), null, default);

        var report = await service.ReportAsync(default);
        Assert.Equal((1L, 4L), (report.ByStatus["failed"], report.ByStatus["pending"]));
    }

    [Fact]
    public async Task Stats_EventsGoneBehindTheStoresBack_ReportUnchanged()
    {
        // The report reads counters only: remove every event and it does not move. Its cost is
        // therefore the same at 1 k or 1 M events (bench/RESULTS has the timings).
        var service = await KnownHistoryAsync();
        var before = JsonSerializer.Serialize(await service.ReportAsync(default));

        await Stores.ForgetEventsAsync();

        Assert.Empty(await AllAsync());
        Assert.Equal(before, JsonSerializer.Serialize(await service.ReportAsync(default)));
    }
}
