using InstantChat.Core.EventModel;
using InstantChat.Core.Outbound;
using InstantChat.Core.Storage;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Storage;

public abstract partial class StoreContract
{
    IOutboundStore Outbound => Stores.Outbound;

    static Destination NewDestination(string id, Ordering ordering = Ordering.None, DestinationFilter? filter = null) => new()
    {
        DestinationId = id,
        Name = "crm " + id,
        Url = "https://crm.example.com/hooks/" + id,
        Filter = filter ?? DestinationFilter.Everything,
        Ordering = ordering,
        Headers = new Dictionary<string, string> { ["authorization"] = "Bearer crm-token" },
        Secrets = new DestinationSecrets("whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LTAx"),
        CreatedAt = T0,
        UpdatedAt = T0,
    };

    /// <summary>A delivery whose events finished processing, forwarded to <paramref name="targets"/>.</summary>
    async Task<IReadOnlyList<WebhookEvent>> CommitForwardedAsync(byte[] body, DateTimeOffset at, params OutboundTarget[] targets)
    {
        var batch = Batch(body, at);
        var events = batch.Events.Select(e => e with { ProcessedStatus = ProcessingStatus.Completed, Attempts = 1 }).ToList();
        var result = await Ingest.CommitAsync([batch with { Events = events, Outbound = events.Select(_ => (IReadOnlyList<OutboundTarget>)targets).ToList() }], CancellationToken.None);
        return result[0].Inserted;
    }

    static byte[] Dm(string mid, string sender) => Deliveries.Envelope(Deliveries.Message(mid, "hello " + mid, sender));

    async Task<IReadOnlyList<OutboundMessage>> TakeAsync(string destinationId, DateTimeOffset now, int max = 10) =>
        await Outbound.TakeDueAsync(destinationId, max, now, now.AddMinutes(2), "host-a", CancellationToken.None);

    static OutboundAttempt AttemptOf(OutboundMessage m, DateTimeOffset at, int? status, string? error = null) =>
        new(m.MessageId, m.TotalAttempts + 1, at, status, 12.5, new Dictionary<string, string> { ["content-type"] = "text/plain" }, "answer body", error);

    [Fact]
    public async Task Destinations_CreateFindUpdateDelete_RoundTripsWithSecretsSealed()
    {
        var d = NewDestination("dst_1");
        await Stores.Destinations.CreateAsync(d, default);

        var found = await Stores.Destinations.FindAsync("dst_1", default);
        Assert.Equal(d.Secrets.Current, found!.Secrets.Current);
        Assert.Equal("Bearer crm-token", found.Headers["authorization"]);
        Assert.DoesNotContain(d.Secrets.Current, await Stores.RawDestinationAsync("dst_1"));

        Assert.True(await Stores.Destinations.UpdateAsync(found with { Enabled = false, Name = "renamed" }, default));
        Assert.Equal(("renamed", false), ((await Stores.Destinations.ListAsync(default)).Single().Name, (await Stores.Destinations.ListAsync(default)).Single().Enabled));
        Assert.True(await Stores.Destinations.DeleteAsync("dst_1", default));
        Assert.Null(await Stores.Destinations.FindAsync("dst_1", default));
        Assert.False(await Stores.Destinations.DeleteAsync("dst_1", default));
    }

    [Fact]
    public async Task Outbound_NewEventWithTwoTargets_OneDueMessageForEach()
    {
        var events = await CommitForwardedAsync(Dm("m1", "900000001"), T0, new OutboundTarget("dst_a", Ordering.None), new OutboundTarget("dst_b", Ordering.Conversation));

        var a = Assert.Single(await TakeAsync("dst_a", T0.AddSeconds(1)));
        var b = Assert.Single(await TakeAsync("dst_b", T0.AddSeconds(1)));
        Assert.Equal((events[0].EventId, OutboundStatus.Pending, (string?)null), (a.EventId, a.Status, a.OrderKey));
        Assert.Equal($"{Deliveries.Account}:900000001", b.OrderKey);
        Assert.NotEqual(a.MessageId, b.MessageId);
    }

    [Fact]
    public async Task Outbound_SameDeliveryCommittedTwice_NoSecondMessage()
    {
        var body = Dm("m1", "900000001");
        await CommitForwardedAsync(body, T0, new OutboundTarget("dst_a", Ordering.None));
        await CommitForwardedAsync(body, T0, new OutboundTarget("dst_a", Ordering.None));

        Assert.Single((await Outbound.ListAsync(new OutboundQuery("dst_a"), default)).Items);
    }

    [Fact]
    public async Task Outbound_TakeDue_HeldMessageIsNotTakenAgainUntilItsLeaseEnds()
    {
        await CommitForwardedAsync(Dm("m1", "900000001"), T0, new OutboundTarget("dst_a", Ordering.None));

        Assert.Single(await TakeAsync("dst_a", T0.AddSeconds(1)));
        Assert.Empty(await Outbound.TakeDueAsync("dst_a", 10, T0.AddSeconds(2), T0.AddMinutes(3), "host-b", default));
        Assert.Single(await Outbound.TakeDueAsync("dst_a", 10, T0.AddMinutes(5), T0.AddMinutes(7), "host-b", default));
    }

    [Fact]
    public async Task Outbound_ConversationOrdering_NothingHandedOutAheadOfAnUnfinishedEarlierMessage()
    {
        var target = new OutboundTarget("dst_o", Ordering.Conversation);
        await CommitForwardedAsync(Dm("a1", "900000001"), T0, target);
        await CommitForwardedAsync(Dm("a2", "900000001"), T0.AddMilliseconds(5), target);
        await CommitForwardedAsync(Dm("b1", "900000002"), T0.AddMilliseconds(10), target);

        // Each conversation's first; a store may hand out the rest of a conversation right behind it, in order (a chain).
        var first = await TakeAsync("dst_o", T0.AddSeconds(1));
        AssertChains(first);
        Assert.Equal(2, first.Select(m => m.OrderKey).Distinct().Count());
        var a = first.Where(m => m.OrderKey!.EndsWith("900000001", StringComparison.Ordinal)).ToList();
        Assert.Empty(await TakeAsync("dst_o", T0.AddSeconds(2)));

        // Its first failed and waits for a retry: the rest of the conversation waits behind it.
        var a1 = a[0];
        await Outbound.RecordAsync(a1 with { Attempts = 1, TotalAttempts = 1, NextAttemptAt = T0.AddSeconds(60), LastError = "HTTP 500" }, AttemptOf(a1, T0.AddSeconds(2), 500, "HTTP 500"), default);
        foreach (var m in a.Skip(1)) await Outbound.ReleaseAsync(m.MessageId, m.NextAttemptAt!.Value, default);
        Assert.DoesNotContain(await TakeAsync("dst_o", T0.AddSeconds(30)), m => m.OrderKey == a1.OrderKey);

        var retried = await TakeAsync("dst_o", T0.AddSeconds(61));
        AssertChains(retried);
        var againA = retried.Where(m => m.OrderKey == a1.OrderKey).ToList();
        Assert.Equal(a1.MessageId, againA[0].MessageId);

        // Delivered: the next of the conversation (if it was not already behind it) is due.
        var again = againA[0];
        await Outbound.RecordAsync(again with { Status = OutboundStatus.Delivered, Attempts = 2, TotalAttempts = 2, NextAttemptAt = null }, AttemptOf(again, T0.AddSeconds(62), 200), default);
        var a2 = againA.Skip(1).FirstOrDefault() ?? Assert.Single(await TakeAsync("dst_o", T0.AddSeconds(63)), m => m.OrderKey == a1.OrderKey);
        Assert.True(string.CompareOrdinal(a2.Seq, a1.Seq) > 0);
        Assert.Equal(a1.OrderKey, a2.OrderKey);
    }

    /// <summary>A conversation's messages come together, in the order received: never split, never reordered.</summary>
    static void AssertChains(IReadOnlyList<OutboundMessage> taken)
    {
        var seen = new HashSet<string?>();
        for (var i = 0; i < taken.Count; i++)
        {
            var continues = i > 0 && taken[i].OrderKey == taken[i - 1].OrderKey;
            Assert.True(continues || seen.Add(taken[i].OrderKey), $"conversation {taken[i].OrderKey} handed out in two places");
            if (continues) Assert.True(string.CompareOrdinal(taken[i].Seq, taken[i - 1].Seq) > 0, "a conversation handed out out of order");
        }
    }

    [Fact]
    public async Task Outbound_FailedAttempt_KeptWithItsAnswerAndScheduled()
    {
        await CommitForwardedAsync(Dm("m1", "900000001"), T0, new OutboundTarget("dst_a", Ordering.None));
        var m = Assert.Single(await TakeAsync("dst_a", T0.AddSeconds(1)));

        await Outbound.RecordAsync(m with { Attempts = 1, TotalAttempts = 1, NextAttemptAt = T0.AddSeconds(6), LastError = "HTTP 500" }, AttemptOf(m, T0.AddSeconds(1), 500, "HTTP 500"), default);

        var stored = await Outbound.FindAsync(m.MessageId, default);
        Assert.Equal((OutboundStatus.Pending, 1, T0.AddSeconds(6), "HTTP 500"), (stored!.Status, stored.Attempts, stored.NextAttemptAt, stored.LastError));
        var attempt = Assert.Single(await Outbound.AttemptsAsync([m.MessageId], default));
        Assert.Equal((1, (int?)500, "answer body", "text/plain"), (attempt.Number, attempt.StatusCode, attempt.ResponseBody, attempt.ResponseHeaders["content-type"]));
        Assert.Empty(await TakeAsync("dst_a", T0.AddSeconds(5)));
        Assert.Single(await TakeAsync("dst_a", T0.AddSeconds(6)));
    }

    [Fact]
    public async Task Outbound_RetryFailed_PendingAgainWithItsHistory()
    {
        await CommitForwardedAsync(Dm("m1", "900000001"), T0, new OutboundTarget("dst_a", Ordering.None));
        await CommitForwardedAsync(Dm("m2", "900000001"), T0, new OutboundTarget("dst_a", Ordering.None));
        var taken = await TakeAsync("dst_a", T0.AddSeconds(1));
        await Outbound.RecordAsync(taken[0] with { Status = OutboundStatus.Failed, Attempts = 8, TotalAttempts = 1, NextAttemptAt = null }, AttemptOf(taken[0], T0.AddSeconds(1), 500), default);
        await Outbound.RecordAsync(taken[1] with { Status = OutboundStatus.Delivered, Attempts = 1, TotalAttempts = 1, NextAttemptAt = null }, AttemptOf(taken[1], T0.AddSeconds(1), 204), default);

        Assert.Equal(1, await Outbound.RetryAsync("dst_a", null, OutboundStatus.Failed, T0.AddSeconds(10), default));

        var again = Assert.Single(await TakeAsync("dst_a", T0.AddSeconds(10)));
        Assert.Equal((taken[0].MessageId, 0, 1), (again.MessageId, again.Attempts, again.TotalAttempts));
        Assert.Single(await Outbound.AttemptsAsync([again.MessageId], default));
        Assert.Equal(1, (await Outbound.PendingAsync(default))["dst_a"]);
    }

    [Fact]
    public async Task Outbound_ReplaySince_MatchingEventsDueAgainUnderTheirIds()
    {
        await CommitForwardedAsync(Dm("old", "900000001"), T0, new OutboundTarget("dst_r", Ordering.None));
        var later = await CommitForwardedAsync(Dm("new", "900000001"), T0.AddHours(1), new OutboundTarget("dst_r", Ordering.None));
        await CommitForwardedAsync(Deliveries.Comment("c1", "900000003", "ann"), T0.AddHours(2));
        foreach (var m in await TakeAsync("dst_r", T0.AddHours(3)))
            await Outbound.RecordAsync(m with { Status = OutboundStatus.Delivered, Attempts = 1, TotalAttempts = 1, NextAttemptAt = null }, AttemptOf(m, T0.AddHours(3), 200), default);
        var before = (await Outbound.ListAsync(new OutboundQuery("dst_r", EventId: later[0].EventId), default)).Items.Single();

        var count = await Outbound.ReplayAsync(NewDestination("dst_r", filter: new DestinationFilter(["messages"], null, null)), T0.AddMinutes(30), T0.AddHours(4), default);

        Assert.Equal(1, count); // "new" only: "old" is earlier, the comment does not match
        var replayed = Assert.Single(await TakeAsync("dst_r", T0.AddHours(4)));
        Assert.Equal(before.MessageId, replayed.MessageId);
    }

    [Fact]
    public async Task Outbound_List_NewestFirstInKeysetPages()
    {
        for (var i = 0; i < 5; i++) await CommitForwardedAsync(Dm($"m{i}", "900000001"), T0.AddSeconds(i), new OutboundTarget("dst_p", Ordering.None));

        var first = await Outbound.ListAsync(new OutboundQuery("dst_p", Limit: 3), default);
        var second = await Outbound.ListAsync(new OutboundQuery("dst_p", Limit: 3, Cursor: first.NextCursor), default);

        Assert.Equal(3, first.Items.Count);
        Assert.Equal(2, second.Items.Count);
        Assert.Null(second.NextCursor);
        var ids = first.Items.Concat(second.Items).Select(m => m.MessageId).ToList();
        Assert.Equal(ids.OrderByDescending(x => x, StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task Destinations_Delete_RemovesItsMessages()
    {
        await Stores.Destinations.CreateAsync(NewDestination("dst_x"), default);
        await CommitForwardedAsync(Dm("m1", "900000001"), T0, new OutboundTarget("dst_x", Ordering.None));

        await Stores.Destinations.DeleteAsync("dst_x", default);

        Assert.Empty((await Outbound.ListAsync(new OutboundQuery("dst_x"), default)).Items);
    }

    [Fact]
    public async Task Outbound_Health_CountsAttemptsRateAndLatencyPerDestination()
    {
        for (var i = 0; i < 4; i++) await CommitForwardedAsync(Dm($"h{i}", "900000001"), T0, new OutboundTarget("dst_h", Ordering.None));
        var taken = await TakeAsync("dst_h", T0.AddSeconds(1));
        for (var i = 0; i < taken.Count; i++)
        {
            var attempt = AttemptOf(taken[i], T0.AddSeconds(2 + i), i == 3 ? 500 : 200) with { DurationMs = i == 3 ? 3_000 : 20 };
            await Outbound.RecordAsync(taken[i] with { Status = i == 3 ? OutboundStatus.Pending : OutboundStatus.Delivered, Attempts = 1, TotalAttempts = 1 }, attempt, default);
        }

        var health = (await Outbound.HealthAsync(T0.AddHours(-24), default))["dst_h"];

        Assert.Equal((4L, 3L, 0.75), (health.Attempts, health.Succeeded, health.SuccessRate));
        Assert.Equal(5_000, health.P95Ms); // the slow one is in the 2.5–5 s bucket
        Assert.Equal((T0.AddSeconds(5), (int?)500), (health.LastAttemptAt, health.LastStatusCode));
        Assert.Empty(await Outbound.HealthAsync(T0.AddHours(2), default));
    }

    [Fact]
    public async Task Alerts_OpenTwiceResolveReopen_OneOpenAtATimeAndTheHistoryKept()
    {
        var alerts = Stores.Alerts;
        Alert Make(string id, DateTimeOffset at) => new(id, AlertKinds.FailedEvents, "", "12 events failed", "detail", at);

        Assert.True(await alerts.OpenAsync(Make("alr_1", T0), default));
        Assert.False(await alerts.OpenAsync(Make("alr_2", T0.AddSeconds(30)), default));
        var resolved = await alerts.ResolveAsync(AlertKinds.FailedEvents, "", T0.AddMinutes(5), default);
        Assert.Null(await alerts.ResolveAsync(AlertKinds.FailedEvents, "", T0.AddMinutes(6), default));
        Assert.True(await alerts.OpenAsync(Make("alr_3", T0.AddMinutes(10)), default));

        Assert.Equal(("alr_1", T0.AddMinutes(5)), (resolved!.AlertId, resolved.ResolvedAt));
        var listed = await alerts.ListAsync(10, default);
        Assert.Equal(["alr_3", "alr_1"], listed.Select(a => a.AlertId));
        Assert.True(listed[0].Open);
        Assert.Equal(AlertRules.Defaults, await alerts.RulesAsync(default));
        await alerts.SaveRulesAsync(AlertRules.Defaults with { NotifyUrl = "https://hooks.slack.com/services/x" }, default);
        Assert.Equal("https://hooks.slack.com/services/x", (await alerts.RulesAsync(default)).NotifyUrl);
    }

    [Fact]
    public async Task Outbound_Expedite_MessagesInBackoffDueNow()
    {
        await CommitForwardedAsync(Dm("m1", "900000001"), T0, new OutboundTarget("dst_e", Ordering.None));
        var m = Assert.Single(await TakeAsync("dst_e", T0.AddSeconds(1)));
        await Outbound.RecordAsync(m with { Attempts = 2, TotalAttempts = 2, NextAttemptAt = T0.AddMinutes(30), LastError = "HTTP 503" }, AttemptOf(m, T0.AddSeconds(1), 503), default);
        Assert.Empty(await TakeAsync("dst_e", T0.AddMinutes(1)));

        Assert.Equal(1, await Outbound.ExpediteAsync("dst_e", T0.AddMinutes(1), default));

        Assert.Single(await TakeAsync("dst_e", T0.AddMinutes(1)));
    }
}
