using System.Text;
using System.Text.Json;
using InstantChat.Core.Parsing;
using InstantChat.Core.Simulation;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using Microsoft.Extensions.Time.Testing;

namespace InstantChat.Tests.Simulation;

public sealed class TrafficGeneratorTests
{
    const int Seed = 20_260_302;
    const int Count = 500;
    static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    static readonly TimeSpan Step = TimeSpan.FromMilliseconds(250);

    /// <summary>Deliveries as the simulator would make them, the fake clock moving on between them.</summary>
    static List<byte[]> Generate(int seed = Seed, int count = Count)
    {
        var clock = new FakeTimeProvider(Start);
        var generator = new TrafficGenerator(new Random(seed), clock);
        var deliveries = new List<byte[]>(count);
        for (var i = 0; i < count; i++)
        {
            deliveries.Add(generator.NextDelivery());
            clock.Advance(Step);
        }
        return deliveries;
    }

    sealed record Parsed(int Index, byte[] Body, IReadOnlyList<WebhookEvent> Events);

    // 500 deliveries, generated and parsed once for the tests that only read them.
    static readonly Lazy<List<Parsed>> Stream = new(() =>
        [.. Generate().Select((body, i) => new Parsed(i, body, new MetaParser().Parse(body, $"delivery-{i}", Start + Step * i)))]);

    static IEnumerable<WebhookEvent> Events => Stream.Value.SelectMany(p => p.Events);
    static JsonElement Payload(WebhookEvent e) => JsonDocument.Parse(e.Payload!).RootElement;

    [Fact]
    public void NextDelivery_FixedSeed_EveryUpdateParsesAsAKnownPendingEvent()
    {
        foreach (var (index, body, events) in Stream.Value)
        {
            using var doc = JsonDocument.Parse(body);
            var updates = doc.RootElement.GetProperty("entry").EnumerateArray()
                .Sum(entry => entry.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Array).Sum(p => p.Value.GetArrayLength()));
            Assert.True(updates == events.Count, $"delivery {index}: {updates} updates but {events.Count} events");
            Assert.All(events, e =>
            {
                Assert.Contains(e.EventType, EventTypes.Known);
                Assert.Equal(ProcessingStatus.Pending, e.ProcessedStatus);
                Assert.Null(e.LastError);
                Assert.NotNull(e.AccountId);
            });
        }
    }

    [Fact]
    public void NextDelivery_FixedSeed_AllEightTypesAppearMessagesMostOften()
    {
        var byType = Events.GroupBy(e => e.EventType).ToDictionary(g => g.Key, g => g.Count());

        Assert.Equal(EventTypes.Known.Order(), byType.Keys.Order());
        Assert.Equal(EventTypes.Messages, byType.MaxBy(kv => kv.Value).Key);
        Assert.All(byType, kv => Assert.True(kv.Value >= 10, $"{kv.Key}: only {kv.Value}"));
    }

    [Fact]
    public void NextDelivery_SameSeedAndClock_SameBytes()
    {
        var first = Generate(count: 100);
        var again = Generate(count: 100);
        var other = Generate(seed: Seed + 1, count: 100);

        Assert.All(first.Zip(again), pair => Assert.Equal(pair.First, pair.Second));
        Assert.NotEqual(first.SelectMany(b => b), other.SelectMany(b => b));
    }

    [Fact]
    public void NextDelivery_ManyDeliveries_NoDeduplicationKeyRepeats()
    {
        var keys = Events.Select(e => e.DeduplicationKey).ToList();
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());

        // The ids themselves are fresh too: a new message, postback or comment never reuses one.
        var ids = Events.Select(e => Payload(e)).SelectMany(p => new[]
        {
            p.TryGetProperty("message", out var m) && !m.TryGetProperty("is_deleted", out _) ? m.GetProperty("mid").GetString() : null,
            p.TryGetProperty("postback", out var pb) ? pb.GetProperty("mid").GetString() : null,
            p.TryGetProperty("value", out var v) && v.TryGetProperty("id", out var c) ? c.GetString() : null,
            p.TryGetProperty("value", out var w) && w.TryGetProperty("comment_id", out var mc) ? mc.GetString() : null,
        }).OfType<string>().ToList();
        Assert.True(ids.Count > 500, $"only {ids.Count} ids");
        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void NextDelivery_Conversations_ReactionsReadsAndDeletesNameEarlierMessages()
    {
        var customerMids = new HashSet<string>();
        var businessMids = new HashSet<string>();
        var wrote = new HashSet<(string?, string?)>(); // (account, customer) pairs with a message or postback
        var checkedRefs = 0;
        foreach (var e in Events)
        {
            var p = Payload(e);
            if (p.TryGetProperty("message", out var m))
            {
                var mid = m.GetProperty("mid").GetString()!;
                if (m.TryGetProperty("is_echo", out _))
                {
                    Assert.Contains((e.AccountId, e.RecipientId), wrote); // a reply answers someone who wrote
                    businessMids.Add(mid);
                }
                else if (m.TryGetProperty("is_deleted", out _)) { Assert.Contains(mid, customerMids); checkedRefs++; }
                else { customerMids.Add(mid); wrote.Add((e.AccountId, e.SenderId)); }
                if (m.TryGetProperty("reply_to", out var r) && r.TryGetProperty("mid", out var replied)) Assert.Contains(replied.GetString()!, businessMids);
            }
            else if (p.TryGetProperty("postback", out _)) wrote.Add((e.AccountId, e.SenderId));
            else if (p.TryGetProperty("reaction", out var reaction)) { Assert.Contains(reaction.GetProperty("mid").GetString()!, businessMids); checkedRefs++; }
            else if (p.TryGetProperty("read", out var read)) { Assert.Contains(read.GetProperty("mid").GetString()!, businessMids); checkedRefs++; }
        }
        Assert.True(checkedRefs > 100, $"only {checkedRefs} references checked");
    }

    [Fact]
    public void NextDelivery_AnyDelivery_OneToFiveUpdatesSometimesInSeveralEntries()
    {
        Assert.All(Stream.Value, p => Assert.InRange(p.Events.Count, 1, 5));
        Assert.Contains(Stream.Value, p => p.Events.Count == 5);
        var entries = Stream.Value.Select(p => JsonDocument.Parse(p.Body).RootElement.GetProperty("entry").GetArrayLength()).ToList();
        Assert.Contains(1, entries);
        Assert.Contains(entries, n => n >= 3);
        Assert.Equal(3, Events.Select(e => e.AccountId).Distinct().Count());
    }

    [Theory]
    [InlineData("\"is_echo\":true")]
    [InlineData("\"is_deleted\":true")]
    [InlineData("\"is_unsupported\":true")]
    [InlineData("\"type\":\"image\"")]
    [InlineData("\"type\":\"story_mention\"")]
    [InlineData("\"type\":\"share\"")]
    [InlineData("\"type\":\"ig_reel\"")]
    [InlineData("\"story\":{")]
    [InlineData("\"quick_reply\":{")]
    [InlineData("\"ads_context_data\":{")]
    [InlineData("\"source\":\"IGME_LINK\"")]
    [InlineData("\"action\":\"unreact\"")]
    [InlineData("\"parent_id\":")]
    [InlineData("\"media_product_type\":\"LIVE\"")]
    [InlineData("\"media_product_type\":\"REELS\"")]
    public void NextDelivery_FixedSeed_CoversMetasShapes(string marker) =>
        Assert.Contains(Stream.Value, p => Encoding.UTF8.GetString(p.Body).Contains(marker, StringComparison.Ordinal));

    [Fact]
    public void NextDelivery_FixedSeed_CaptionMentionsHaveNoCommentId() =>
        Assert.Contains(Events, e => e.EventType == EventTypes.Mentions && !Payload(e).GetProperty("value").TryGetProperty("comment_id", out _));

    [Theory]
    [InlineData("emoji", 0x1F300, 0x1FAFF)]
    [InlineData("Arabic", 0x0600, 0x06FF)]
    [InlineData("Cyrillic", 0x0400, 0x04FF)]
    [InlineData("Devanagari", 0x0900, 0x097F)]
    [InlineData("Hiragana and Katakana", 0x3040, 0x30FF)]
    [InlineData("Hangul", 0xAC00, 0xD7AF)]
    public void NextDelivery_Text_IncludesScript(string script, int first, int last)
    {
        var texts = Events.Select(e => e.Content.Text).OfType<string>();
        Assert.True(texts.Any(t => t.EnumerateRunes().Any(r => r.Value >= first && r.Value <= last)), $"no {script} in any text");
    }

    [Fact]
    public void NextDelivery_Timestamps_FollowTheClock()
    {
        foreach (var (index, _, events) in Stream.Value)
        {
            var now = Start + Step * index;
            Assert.All(events, e => Assert.InRange(e.Timestamp, now.AddSeconds(-2), now.AddSeconds(2)));
        }
        // Messaging timestamps only move forward, so a thread reads in the order it was written.
        var last = DateTimeOffset.MinValue;
        foreach (var p in Stream.Value)
        {
            var messaging = p.Events.Where(e => Payload(e).TryGetProperty("sender", out _)).Select(e => e.Timestamp).ToList();
            if (messaging.Count == 0) continue;
            Assert.True(messaging.Min() > last, $"delivery {p.Index} goes back in time");
            last = messaging.Max();
        }
    }

    [Fact]
    public void NextDelivery_Attachments_HaveCdnUrls()
    {
        var media = Events.Where(e => e.Content.MediaUrl is not null).ToList();
        Assert.True(media.Count > 10, $"only {media.Count} attachments");
        Assert.All(media, e => Assert.StartsWith("https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=", e.Content.MediaUrl, StringComparison.Ordinal));
    }

    [Fact]
    public void NextAnyDelivery_FixedSeed_ThreePlatformsEveryUpdateHandledWithoutFailure()
    {
        var clock = new FakeTimeProvider(Start);
        var generator = new TrafficGenerator(new Random(Seed), clock);
        var handlers = new Core.Processing.HandlerRegistry([new Core.Conversations.ConversationHandlers(), new Core.Comments.CommentHandlers(), new Core.Conversations.WhatsAppHandlers()]);
        var parser = new MetaParser();
        var events = new List<WebhookEvent>();
        for (var i = 0; i < Count; i++)
        {
            using var parsed = parser.ParseDelivery(generator.NextAnyDelivery(), $"delivery-{i}", clock.GetUtcNow());
            for (var j = 0; j < parsed.Events.Count; j++)
            {
                var e = parsed.Events[j];
                Assert.True(e.ProcessedStatus == ProcessingStatus.Pending, $"{e.Platform} {e.EventType}: {e.LastError}");
                // Every simulated update is one a handler takes and plans without an error.
                var handler = handlers.For(e.Platform, e.EventType);
                Assert.True(handler is not null, $"no handler for {e.Platform} {e.EventType}");
                handler.Plan(e, parsed.Updates[j]!.Value);
                events.Add(e);
            }
            clock.Advance(Step);
        }

        var byPlatform = events.GroupBy(e => e.Platform).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Platforms.All.Order(), byPlatform.Keys.Order());
        Assert.Equal(Platforms.Instagram, byPlatform.MaxBy(kv => kv.Value).Key);
        var types = events.Select(e => (e.Platform, e.EventType)).ToHashSet();
        foreach (var expected in new[] { (Platforms.Messenger, "messages"), (Platforms.Messenger, "feed"), (Platforms.Messenger, "messaging_seen"),
                     (Platforms.Messenger, "message_deliveries"), (Platforms.Messenger, "messaging_postbacks"), (Platforms.WhatsApp, "messages"),
                     (Platforms.WhatsApp, "statuses"), (Platforms.WhatsApp, "message_reactions") })
            Assert.Contains(expected, types);
        Assert.Equal(events.Count, events.Select(e => e.DeduplicationKey).Distinct().Count());
    }

    [Fact]
    public void NextMessageOfEachPlatform_InTurn_OneUpdateEachAndThePlatformsRotate()
    {
        var generator = new TrafficGenerator(new Random(Seed), new FakeTimeProvider(Start));

        var platforms = Enumerable.Range(0, 9).Select(i => Assert.Single(new MetaParser().Parse(generator.NextMessageOfEachPlatform(), $"d{i}", Start)).Platform);

        Assert.Equal([.. Enumerable.Repeat(Platforms.All, 3).SelectMany(p => p)], platforms);
    }
}
