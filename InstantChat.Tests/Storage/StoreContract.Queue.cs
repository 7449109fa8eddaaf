using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Storage;

public abstract partial class StoreContract
{
    static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    async Task<List<WebhookEvent>> SeedAsync(int count)
    {
        var messages = Enumerable.Range(0, count).Select(i => Deliveries.Message($"q{i}", $"t{i}")).ToArray();
        await CommitAsync(Deliveries.Envelope(messages));
        return await AllAsync();
    }

    static AttemptOutcome Done(WebhookEvent e, DateTimeOffset at, ProcessingStatus status = ProcessingStatus.Completed, string? error = null, DateTimeOffset? next = null) =>
        new(e, status, at, at.AddMilliseconds(3), 3, error, next);

    [Fact]
    public async Task Claim_DueEvents_LeasesThemAndCountsTheAttempt()
    {
        await SeedAsync(3);

        var claimed = await Queue.ClaimAsync(10, T0.AddMinutes(1), Lease, "a", CancellationToken.None);

        Assert.Equal(3, claimed.Count);
        Assert.All(claimed, e => Assert.Equal((ProcessingStatus.Processing, 1), (e.ProcessedStatus, e.Attempts)));
        Assert.Empty(await Queue.ClaimAsync(10, T0.AddMinutes(1), Lease, "b", CancellationToken.None));
        Assert.Equal(3, await Queue.QueueLengthAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Claim_MoreDueThanMax_TakesOnlyMax()
    {
        await SeedAsync(5);
        Assert.Equal(2, (await Queue.ClaimAsync(2, T0.AddMinutes(1), Lease, "a", CancellationToken.None)).Count);
        Assert.Equal(3, (await Queue.ClaimAsync(10, T0.AddMinutes(1), Lease, "b", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Claim_ParallelClaimers_NeverShareAnEvent()
    {
        await SeedAsync(200);

        var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            var mine = new List<string>();
            while ((await Queue.ClaimAsync(7, T0.AddMinutes(1), Lease, $"w{w}", CancellationToken.None)) is { Count: > 0 } batch)
                mine.AddRange(batch.Select(e => e.EventId));
            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(200, all.Count);
        Assert.Equal(200, all.Distinct().Count());
    }

    [Fact]
    public async Task Claim_ExpiredLease_IsReclaimedAndTheOldOwnerCannotComplete()
    {
        await SeedAsync(1);
        var first = Assert.Single(await Queue.ClaimAsync(10, T0.AddMinutes(1), Lease, "dead-host", CancellationToken.None));

        Assert.Empty(await Queue.ClaimAsync(10, T0.AddMinutes(1) + Lease / 2, Lease, "other", CancellationToken.None));
        var again = Assert.Single(await Queue.ClaimAsync(10, T0.AddMinutes(1) + Lease * 2, Lease, "other", CancellationToken.None));

        Assert.Equal((first.EventId, 2), (again.EventId, again.Attempts));
        Assert.Empty(await Queue.CompleteAsync([Done(first, T0.AddMinutes(2))], "dead-host", CancellationToken.None));
        var written = Assert.Single(await Queue.CompleteAsync([Done(again, T0.AddMinutes(2))], "other", CancellationToken.None));
        Assert.Equal(ProcessingStatus.Completed, written.ProcessedStatus);
    }

    [Fact]
    public async Task Complete_LeaseLost_KeepsOnlyTheNewOwnersAttemptInTheHistory()
    {
        await SeedAsync(1);
        var first = Assert.Single(await Queue.ClaimAsync(10, T0.AddMinutes(1), Lease, "slow-host", CancellationToken.None));
        var again = Assert.Single(await Queue.ClaimAsync(10, T0.AddMinutes(1) + Lease * 2, Lease, "other", CancellationToken.None));

        Assert.Single(await Queue.CompleteAsync([Done(again, T0.AddMinutes(3))], "other", CancellationToken.None));
        Assert.Empty(await Queue.CompleteAsync([Done(first, T0.AddMinutes(4))], "slow-host", CancellationToken.None));

        var history = Assert.Single(await Queue.AttemptsAsync(first.EventId, CancellationToken.None));
        Assert.Equal((2, ProcessingStatus.Completed), (history.Attempt, history.Outcome));
    }

    [Fact]
    public async Task Complete_Outcomes_WritesStatusErrorTimesAndHistory()
    {
        await SeedAsync(3);
        var now = T0.AddMinutes(1);
        var c = await Queue.ClaimAsync(10, now, Lease, "a", CancellationToken.None);
        var retryAt = now.AddSeconds(5);

        var written = await Queue.CompleteAsync(
            [Done(c[0], now), Done(c[1], now, ProcessingStatus.Failed, "Boom: no"), Done(c[2], now, ProcessingStatus.Pending, "Flaky: later", retryAt)],
            "a", CancellationToken.None);

        Assert.Equal(3, written.Count);
        var byId = (await AllAsync()).ToDictionary(e => e.EventId);
        Assert.Equal((ProcessingStatus.Completed, (string?)null, now.AddMilliseconds(3)), (byId[c[0].EventId].ProcessedStatus, byId[c[0].EventId].LastError, byId[c[0].EventId].ProcessedAt));
        Assert.Equal((ProcessingStatus.Failed, "Boom: no"), (byId[c[1].EventId].ProcessedStatus, byId[c[1].EventId].LastError));
        Assert.Equal((ProcessingStatus.Pending, retryAt, (DateTimeOffset?)null), (byId[c[2].EventId].ProcessedStatus, byId[c[2].EventId].NextAttemptAt, byId[c[2].EventId].ProcessedAt));
        Assert.Equal(3.0, byId[c[0].EventId].ProcessingMs);
        var history = Assert.Single(await Queue.AttemptsAsync(c[1].EventId, CancellationToken.None));
        Assert.Equal((1, ProcessingStatus.Failed, "Boom: no"), (history.Attempt, history.Outcome, history.Error));
    }

    [Fact]
    public async Task Claim_RetryNotYetDue_IsLeftAlone()
    {
        await SeedAsync(1);
        var now = T0.AddMinutes(1);
        var e = Assert.Single(await Queue.ClaimAsync(10, now, Lease, "a", CancellationToken.None));
        await Queue.CompleteAsync([Done(e, now, ProcessingStatus.Pending, "x", now.AddSeconds(10))], "a", CancellationToken.None);

        Assert.Empty(await Queue.ClaimAsync(10, now.AddSeconds(9), Lease, "a", CancellationToken.None));
        Assert.Single(await Queue.ClaimAsync(10, now.AddSeconds(10), Lease, "a", CancellationToken.None));
    }

    [Fact]
    public async Task Requeue_ByAPerson_TheAttemptBeforeSaysWhoAndWhen()
    {
        await SeedAsync(2);
        var now = T0.AddMinutes(1);
        var claimed = await Queue.ClaimAsync(10, now, Lease, "a", CancellationToken.None);
        await Queue.CompleteAsync(claimed.Select(e => Done(e, now, ProcessingStatus.Failed, "x")).ToList(), "a", CancellationToken.None);

        await Queue.RequeueAsync(claimed[0].EventId, now.AddMinutes(1), "alice", CancellationToken.None);
        await Queue.RequeueManyAsync(new(null, null, null, null), now.AddMinutes(2), "bob", CancellationToken.None);

        var first = Assert.Single(await Queue.AttemptsAsync(claimed[0].EventId, CancellationToken.None));
        Assert.Equal(("alice", now.AddMinutes(1)), (first.RetriedBy, first.RetriedAt));
        var second = Assert.Single(await Queue.AttemptsAsync(claimed[1].EventId, CancellationToken.None));
        Assert.Equal(("bob", now.AddMinutes(2)), (second.RetriedBy, second.RetriedAt));
    }

    [Fact]
    public async Task Requeue_FinishedEvent_QueuesItWithAttemptsReset()
    {
        await SeedAsync(1);
        var now = T0.AddMinutes(1);
        var e = Assert.Single(await Queue.ClaimAsync(10, now, Lease, "a", CancellationToken.None));
        await Queue.CompleteAsync([Done(e, now, ProcessingStatus.Failed, "x")], "a", CancellationToken.None);

        Assert.Equal(RequeueResult.Queued, await Queue.RequeueAsync(e.EventId, now, null, CancellationToken.None));
        var stored = await Events.FindAsync(e.EventId, CancellationToken.None);
        Assert.Equal((ProcessingStatus.Pending, 0), (stored!.ProcessedStatus, stored.Attempts));
        Assert.Single(await Queue.AttemptsAsync(e.EventId, CancellationToken.None)); // history kept
        Assert.Equal(RequeueResult.Conflict, await Queue.RequeueAsync(e.EventId, now, null, CancellationToken.None));
        Assert.Equal(RequeueResult.NotFound, await Queue.RequeueAsync(EventIds.New(now), now, null, CancellationToken.None));
    }

    [Fact]
    public async Task RequeueMany_Filter_QueuesOnlyMatchingFinishedEvents()
    {
        await SeedAsync(4);
        var now = T0.AddMinutes(1);
        var c = await Queue.ClaimAsync(10, now, Lease, "a", CancellationToken.None);
        await Queue.CompleteAsync([Done(c[0], now, ProcessingStatus.Failed, "x"), Done(c[1], now, ProcessingStatus.Failed, "x"), Done(c[2], now)], "a", CancellationToken.None);

        Assert.Equal(0, await Queue.RequeueManyAsync(new(null, "comments", null, null), now, null, CancellationToken.None));
        Assert.Equal(0, await Queue.RequeueManyAsync(new(null, null, now.AddDays(1), null), now, null, CancellationToken.None));
        Assert.Equal(2, await Queue.RequeueManyAsync(new(null, "messages", T0.AddDays(-1), T0.AddDays(1)), now, null, CancellationToken.None));
        Assert.Equal(1, await Queue.RequeueManyAsync(new(ProcessingStatus.Completed, null, null, null), now, null, CancellationToken.None));
    }

    [Fact]
    public async Task CountRequeueable_Filter_CountsWhatRequeueManyWouldQueue()
    {
        await SeedAsync(4);
        var now = T0.AddMinutes(1);
        var c = await Queue.ClaimAsync(10, now, Lease, "a", CancellationToken.None);
        await Queue.CompleteAsync([Done(c[0], now, ProcessingStatus.Failed, "x"), Done(c[1], now, ProcessingStatus.Failed, "x"), Done(c[2], now)], "a", CancellationToken.None);

        Assert.Equal(2, await Queue.CountRequeueableAsync(new(null, null, null, null), CancellationToken.None));
        Assert.Equal(0, await Queue.CountRequeueableAsync(new(null, "comments", null, null), CancellationToken.None));
        Assert.Equal(0, await Queue.CountRequeueableAsync(new(null, null, now.AddDays(1), null), CancellationToken.None));
        Assert.Equal(1, await Queue.CountRequeueableAsync(new(ProcessingStatus.Completed, "messages", T0.AddDays(-1), T0.AddDays(1)), CancellationToken.None));
        Assert.Equal(0, await Queue.CountRequeueableAsync(new(null, null, null, null, AccountId: "other"), CancellationToken.None));
        Assert.Equal(0, await Queue.CountRequeueableAsync(new(null, null, null, null, SenderId: "other"), CancellationToken.None));
        Assert.Equal(2, await Queue.CountRequeueableAsync(new(null, null, null, null, c[0].AccountId, c[0].SenderId), CancellationToken.None));
        Assert.Equal(0, await Queue.RequeueManyAsync(new(null, null, null, null, AccountId: "other"), now, null, CancellationToken.None));
        Assert.Equal(2, await Queue.RequeueManyAsync(new(null, null, null, null), now, null, CancellationToken.None));
        Assert.Equal(0, await Queue.CountRequeueableAsync(new(null, null, null, null), CancellationToken.None));
    }

    [Fact]
    public async Task Enqueue_KnownAndNewEvents_AddsOnlyTheNewOnes()
    {
        var existing = await SeedAsync(1);
        var fresh = Batch(Deliveries.Envelope(Deliveries.Message("q0", "dup"), Deliveries.Message("new", "n"))).Events;

        var added = await Queue.EnqueueAsync(fresh, CancellationToken.None);

        Assert.Equal("new", Assert.Single(added).DeduplicationKey.Split(':')[^1]);
        Assert.Equal(2, (await AllAsync()).Count);
        Assert.Equal(existing[0].EventId, (await AllAsync()).Single(e => e.DeduplicationKey.EndsWith(":q0")).EventId);
    }
}
