using System.Text;
using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using InstantChat.Core.Parsing;
using InstantChat.Core.Retention;
using InstantChat.Core.Stats;
using InstantChat.Core.Subscriptions;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Storage;

/// <summary>What every store must do; each store runs it through a subclass that supplies a real instance.</summary>
public abstract partial class StoreContract : IAsyncLifetime
{
    /// <summary>The backend under test, made fresh (its own file or database) for each test.</summary>
    protected abstract IStoreSet Stores { get; }
    public abstract ValueTask InitializeAsync();
    public abstract ValueTask DisposeAsync();

    IIngestStore Ingest => Stores.Ingest;
    IEventStore Events => Stores.Events;
    IQueueStore Queue => Stores.Queue;
    IConversationStore Conversations => Stores.Conversations;
    ICommentStore Comments => Stores.Comments;
    ISubscriptionStore Subscriptions => Stores.Subscriptions;
    IStatsStore Stats => Stores.Stats;
    IRetentionStore Retention => Stores.Retention;

    readonly MetaParser _parser = new();
    protected static readonly DateTimeOffset T0 = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    protected IngestBatch Batch(byte[] body, DateTimeOffset? at = null)
    {
        var receivedAt = at ?? T0;
        var id = EventIds.New(receivedAt);
        return new IngestBatch(new Delivery(id, receivedAt, "application/json", body), _parser.Parse(body, id, receivedAt));
    }

    protected async Task<CommitResult> CommitAsync(byte[] body, DateTimeOffset? at = null) =>
        (await Ingest.CommitAsync([Batch(body, at)], CancellationToken.None))[0];

    protected async Task<List<WebhookEvent>> AllAsync(EventQuery? query = null)
    {
        var all = new List<WebhookEvent>();
        var q = query ?? new EventQuery(Limit: 500);
        do
        {
            var page = await Events.ListAsync(q, CancellationToken.None);
            all.AddRange(page.Items);
            q = q with { Cursor = page.NextCursor };
        } while (q.Cursor is not null);
        return all;
    }

    [Fact]
    public async Task Commit_NewDelivery_StoresEventsAndExactBytes()
    {
        var body = Deliveries.Envelope(Deliveries.Message("m1", "héllo 👋"), Deliveries.Message("m2", "second"));
        var batch = Batch(body);
        var result = (await Ingest.CommitAsync([batch], CancellationToken.None))[0];

        Assert.Equal(2, result.Inserted.Count);
        Assert.Equal(0, result.Duplicates);
        var stored = await Events.FindAsync(batch.Events[0].EventId, CancellationToken.None);
        Assert.Equal(batch.Events[0], stored);
        var delivery = await Events.FindDeliveryAsync(batch.Delivery.DeliveryId, CancellationToken.None);
        Assert.NotNull(delivery);
        Assert.Equal(body, delivery.Body);
        Assert.Equal((2, 0, body.Length, "application/json"), (delivery.EventCount, delivery.DuplicateCount, delivery.Size, delivery.ContentType));
    }

    [Fact]
    public async Task Commit_NewDelivery_KeepsNoSecondCopyOfTheUpdatesButReadsThemBack()
    {
        var body = Deliveries.Envelope(Deliveries.Message("p1", "first"), Deliveries.Message("p2", "second"));
        var batch = Batch(body);
        await Ingest.CommitAsync([batch], CancellationToken.None);

        Assert.Equal(0, await Stores.StoredPayloadsAsync());
        var page = await Events.ListAsync(new EventQuery(Limit: 10), CancellationToken.None);
        Assert.Equal(batch.Events.Select(e => e.Payload).Order(), page.Items.Select(e => e.Payload).Order());
        Assert.Equal(batch.Events[1].Payload, (await Events.FindByKeyAsync(batch.Events[1].DeduplicationKey, CancellationToken.None))?.Payload);
        Assert.Contains("\"mid\":\"p2\"", batch.Events[1].Payload);
    }

    [Fact]
    public async Task Commit_SameDeliveryTwice_StoresEventsOnce()
    {
        var body = Deliveries.Envelope(Deliveries.Message("m1", "a"), Deliveries.Message("m2", "b"));
        await CommitAsync(body);
        var again = await CommitAsync(body);

        Assert.Empty(again.Inserted);
        Assert.Equal(2, again.Duplicates);
        Assert.Equal(2, (await AllAsync()).Count);
    }

    [Fact]
    public async Task Commit_AllUpdatesAlreadyStored_KeepsAReferenceNotTheBytes()
    {
        var body = Deliveries.Envelope(Deliveries.Message("m1", "a"), Deliveries.Message("m2", "b"));
        var first = await CommitAsync(body);
        var replay = Batch(body);
        var replays = await Ingest.CommitAsync([replay, Batch(body)], CancellationToken.None);

        Assert.All(replays, r => Assert.Empty(r.Inserted));
        var original = first.Inserted[0].DeliveryId;
        var again = await Events.FindDeliveryAsync(replay.Delivery.DeliveryId, CancellationToken.None);
        Assert.NotNull(again);
        Assert.Equal(original, again.SameAs);
        Assert.Equal(body, again.Body); // served from the delivery it points to
        Assert.Equal((2, 2), (again.EventCount, again.DuplicateCount));
        Assert.Equal(2, (await Events.FindDeliveryAsync(original, CancellationToken.None))!.Replays);
        Assert.Equal(body.Length, await Stores.StoredBodyBytesAsync());
    }

    [Fact]
    public async Task Commit_SomeUpdatesNew_KeepsTheWholeBody()
    {
        var (a, b) = (Deliveries.Message("m1", "a"), Deliveries.Message("m2", "b"));
        var first = Deliveries.Envelope(a);
        await CommitAsync(first);
        var regrouped = Deliveries.Envelope(a, b);
        var batch = Batch(regrouped);
        await Ingest.CommitAsync([batch], CancellationToken.None);

        var stored = await Events.FindDeliveryAsync(batch.Delivery.DeliveryId, CancellationToken.None);
        Assert.Null(stored!.SameAs);
        Assert.Equal(regrouped, stored.Body);
        Assert.Equal(first.Length + regrouped.Length, await Stores.StoredBodyBytesAsync());
    }

    [Fact]
    public async Task Commit_UpdatesRegroupedIntoOtherBatches_StoresEachOnce()
    {
        var (a, b, c) = (Deliveries.Message("m1", "a"), Deliveries.Message("m2", "b"), Deliveries.Message("m3", "c"));
        await CommitAsync(Deliveries.Envelope(a, b));
        var regrouped = await CommitAsync(Deliveries.Envelope(b, c));

        Assert.Equal(1, regrouped.Duplicates);
        Assert.Equal(["m1", "m2", "m3"], (await AllAsync()).Select(e => e.DeduplicationKey.Split(':')[^1]).Order());
    }

    [Fact]
    public async Task Commit_SameUpdateTwiceInOneGroupCommit_StoresItOnce()
    {
        var body = Deliveries.Envelope(Deliveries.Message("m1", "a"));
        var results = await Ingest.CommitAsync([Batch(body), Batch(body)], CancellationToken.None);

        Assert.Equal([1, 0], results.Select(r => r.Inserted.Count));
        Assert.Single(await AllAsync());
    }

    [Fact]
    public async Task Commit_TwoMessagesFromOneSenderInOneSecond_StoresBoth()
    {
        await CommitAsync(Deliveries.Envelope(Deliveries.Message("m1", "same", timestampMs: 1_764_000_000_000)));
        await CommitAsync(Deliveries.Envelope(Deliveries.Message("m2", "same", timestampMs: 1_764_000_000_000)));

        Assert.Equal(2, (await AllAsync()).Count);
    }

    [Fact]
    public async Task Commit_DeleteOfAStoredMessage_KeepsBoth()
    {
        var original = Deliveries.Message("m1", "oops");
        var delete = Deliveries.Message("m1", "");
        delete["message"] = new System.Text.Json.Nodes.JsonObject { ["mid"] = "m1", ["is_deleted"] = true };
        await CommitAsync(Deliveries.Envelope(original));
        var result = await CommitAsync(Deliveries.Envelope(delete));

        Assert.Single(result.Inserted);
        Assert.Equal(2, (await AllAsync()).Count);
    }

    [Fact]
    public async Task Commit_UnparseableBodyTwice_KeepsOneFailedEvent()
    {
        var body = Encoding.UTF8.GetBytes("{not json");
        await CommitAsync(body);
        await CommitAsync(body);

        var e = Assert.Single(await AllAsync());
        Assert.Equal((EventTypes.Unknown, ProcessingStatus.Failed), (e.EventType, e.ProcessedStatus));
        Assert.StartsWith("unparseable: invalid JSON", e.LastError);
    }

    [Fact]
    public async Task List_NoFilter_NewestFirstAcrossPages()
    {
        for (var i = 0; i < 23; i++)
            await CommitAsync(Deliveries.Envelope(Deliveries.Message($"m{i}", $"t{i}")), T0.AddSeconds(i));

        var all = await AllAsync(new EventQuery(Limit: 5));

        Assert.Equal(23, all.Count);
        Assert.Equal(23, all.Select(e => e.EventId).Distinct().Count());
        Assert.Equal(all.OrderByDescending(e => e.EventId, StringComparer.Ordinal).Select(e => e.EventId), all.Select(e => e.EventId));
        Assert.Equal("t22", all[0].Content.Text);
    }

    [Fact]
    public async Task List_LastPage_HasNoNextCursor()
    {
        for (var i = 0; i < 4; i++) await CommitAsync(Deliveries.Envelope(Deliveries.Message($"m{i}", "x")));

        var first = await Events.ListAsync(new EventQuery(Limit: 2), CancellationToken.None);
        var second = await Events.ListAsync(new EventQuery(Limit: 2, Cursor: first.NextCursor), CancellationToken.None);

        Assert.NotNull(first.NextCursor);
        Assert.Equal(2, second.Items.Count);
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task List_EachFilter_ReturnsOnlyMatches()
    {
        await CommitAsync(Deliveries.Envelope("acct-a", Deliveries.Message("m1", "hello world", sender: "s1")));
        await CommitAsync(Deliveries.Envelope("acct-b", Deliveries.Message("m2", "bye", sender: "s2")));
        await CommitAsync(Encoding.UTF8.GetBytes("garbage"));

        async Task<string[]> Texts(EventQuery q) => (await AllAsync(q)).Select(e => e.Content.Text ?? e.EventType).Order().ToArray();
        Assert.Equal(["hello world"], await Texts(new(AccountId: "acct-a")));
        Assert.Equal(["bye"], await Texts(new(SenderId: "s2")));
        Assert.Equal(["bye", "hello world"], await Texts(new(EventType: "messages")));
        Assert.Equal(["unknown"], await Texts(new(Status: ProcessingStatus.Failed)));
        Assert.Equal(["bye", "hello world"], await Texts(new(Status: ProcessingStatus.Pending)));
        Assert.Equal(["hello world"], await Texts(new(Text: "HELLO wor")));
        Assert.Equal(["hello world"], await Texts(new(AccountId: "acct-a", EventType: "messages", Status: ProcessingStatus.Pending)));
        Assert.Empty(await Texts(new(AccountId: "acct-a", SenderId: "s2")));
    }

    [Fact]
    public async Task List_TextSearch_FindsWordsOfTextAndUsernameNewestFirstAcrossPages()
    {
        for (var i = 0; i < 5; i++) await CommitAsync(Deliveries.Envelope(Deliveries.Message($"m{i}", $"Order #{i} shipped ✈️ café")), T0.AddSeconds(i));
        await CommitAsync(Deliveries.Envelope(Deliveries.Message("other", "nothing to see")));

        var first = await Events.ListAsync(new EventQuery(Text: "ORDER", Limit: 3), CancellationToken.None);
        var second = await Events.ListAsync(new EventQuery(Text: "ORDER", Limit: 3, Cursor: first.NextCursor), CancellationToken.None);

        Assert.Equal(["Order #4 shipped ✈️ café", "Order #3 shipped ✈️ café", "Order #2 shipped ✈️ café"], first.Items.Select(e => e.Content.Text));
        Assert.Equal(["Order #1 shipped ✈️ café", "Order #0 shipped ✈️ café"], second.Items.Select(e => e.Content.Text));
        Assert.Null(second.NextCursor);
        Assert.Equal(5, (await AllAsync(new(Text: "Café"))).Count);
        Assert.Equal(5, (await AllAsync(new(Text: "ship"))).Count);
    }

    [Fact]
    public async Task List_TextSearch_NoMatchOrTooShort_FindsNothing()
    {
        await CommitAsync(Deliveries.Envelope(Deliveries.Message("m1", "hi there")));

        Assert.Empty(await AllAsync(new(Text: "zzqx-no-such-text")));
        Assert.Empty(await AllAsync(new(Text: "hi")));
    }

    [Fact]
    public async Task List_TextSearch_CombinedWithFilters_AppliesBoth()
    {
        await CommitAsync(Deliveries.Envelope("acct-a", Deliveries.Message("m1", "refund please", sender: "s1")));
        await CommitAsync(Deliveries.Envelope("acct-b", Deliveries.Message("m2", "refund now", sender: "s2")));

        Assert.Equal(["refund now"], (await AllAsync(new(Text: "refund", AccountId: "acct-b"))).Select(e => e.Content.Text));
        Assert.Empty(await AllAsync(new(Text: "refund", Status: ProcessingStatus.Failed)));
    }

    [Fact]
    public async Task Count_EachFilter_CountsWhatTheListShows()
    {
        await CommitAsync(Deliveries.Envelope("acct-a", Deliveries.Message("m1", "refund please", sender: "s1"), Deliveries.Message("m2", "hello", sender: "s1")));
        await CommitAsync(Deliveries.Envelope("acct-b", Deliveries.Message("m3", "refund now", sender: "s2")));

        async Task<(long, bool)> Count(EventQuery q)
        {
            var c = await Events.CountAsync(q, 100, CancellationToken.None);
            Assert.Equal((await AllAsync(q)).Count, c.Count); // the same filters as the list
            return (c.Count, c.AtLeast);
        }
        Assert.Equal((3L, false), await Count(new()));
        Assert.Equal((2L, false), await Count(new(AccountId: "acct-a")));
        Assert.Equal((1L, false), await Count(new(SenderId: "s2")));
        Assert.Equal((2L, false), await Count(new(Text: "refund")));
        Assert.Equal((1L, false), await Count(new(Text: "refund", AccountId: "acct-b")));
        Assert.Equal((0L, false), await Count(new(Status: ProcessingStatus.Failed)));
        Assert.Equal((0L, false), await Count(new(Text: "hi")));
    }

    [Fact]
    public async Task Count_MoreThanTheCap_StopsThereAndSaysSo()
    {
        await CommitAsync(Deliveries.Envelope(Enumerable.Range(0, 7).Select(i => Deliveries.Message($"m{i}", $"order {i}")).ToArray()));

        Assert.Equal(new MatchCount(5, true), await Events.CountAsync(new(), 5, CancellationToken.None));
        Assert.Equal(new MatchCount(5, true), await Events.CountAsync(new(Text: "order"), 5, CancellationToken.None));
        Assert.Equal(new MatchCount(7, false), await Events.CountAsync(new(Limit: 2, Cursor: "ignored"), 7, CancellationToken.None));
    }

    [Fact]
    public async Task List_FromTo_BoundsReceivedAtInclusively()
    {
        for (var i = 0; i < 5; i++) await CommitAsync(Deliveries.Envelope(Deliveries.Message($"m{i}", $"t{i}")), T0.AddMinutes(i));

        var mid = await AllAsync(new(From: T0.AddMinutes(1), To: T0.AddMinutes(3)));

        Assert.Equal(["t3", "t2", "t1"], mid.Select(e => e.Content.Text));
    }

    [Fact]
    public async Task Find_UnknownId_ReturnsNull()
    {
        Assert.Null(await Events.FindAsync(EventIds.New(T0), CancellationToken.None));
        Assert.Null(await Events.FindDeliveryAsync("nope", CancellationToken.None));
    }

    [Fact]
    public async Task Ping_ReachableStore_ReturnsTrue() => Assert.True(await Events.PingAsync(CancellationToken.None));
}
