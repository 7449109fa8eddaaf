using InstantChat.Core.Processing;
using InstantChat.Core.Storage.Sqlite;
using System.Text.Json;
using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using InstantChat.Core.Parsing;
using InstantChat.Core.EventModel;
using InstantChat.Tests.Parsing;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Conversations;

/// <summary>The handlers on events parsed from Meta-shaped fixtures, against the real store.</summary>
public sealed class ConversationHandlersTests : IDisposable
{
    readonly SqliteStores _stores;
    public void Dispose() => _stores.Dispose();

    static readonly string[] ThreadFixtures =
        ["messages_text", "messages_echo", "messages_deleted", "message_reactions_react", "messaging_seen", "messaging_postbacks", "messaging_referral", "messages_attachments_mixed", "messages_reply_to_message", "messages_unsupported", "dashboard_test_messages"];

    static IEnumerable<WebhookEvent> Events(string fixture) =>
        new MetaParser().Parse(Fixture.Load(fixture), EventIds.New(DateTimeOffset.UtcNow), DateTimeOffset.UtcNow);

    async Task<string> StateAsync()
    {
        var store = _stores.Conversations;
        var conversations = (await store.ListAsync(null, 500, null, default)).Items;
        var threads = new List<object>();
        foreach (var c in conversations) threads.Add(await store.MessagesAsync(c.ConversationId, default));
        var comments = await _stores.Comments.ListAsync(null, null, 500, default);
        return JsonSerializer.Serialize(new { conversations, threads, comments });
    }

    /// <summary>Each event's write, planned from its update and applied as a retry applies it (one at a time).</summary>
    async Task HandleAllAsync(IEnumerable<WebhookEvent> events)
    {
        var handlers = new HandlerRegistry([new ConversationHandlers(), new CommentHandlers(), new WhatsAppHandlers()]);
        var business = new SqliteBusinessWrites(_stores.Writer);
        foreach (var e in events)
        {
            if (handlers.For(e.Platform, e.EventType) is not { } handler) continue;
            using var update = System.Text.Json.JsonDocument.Parse(e.Payload!);
            if (handler.Plan(e, update.RootElement) is { } write) await business.ApplyAsync([write], default);
        }
    }

    [Fact]
    public async Task Handle_EveryFixtureEventTwice_SecondPassChangesNothing()
    {
        var events = ThreadFixtures.Concat(["comments", "comments_reply", "live_comments", "mentions_comment", "mentions_caption"])
            .SelectMany(Events).ToList();
        await HandleAllAsync(events);
        var once = await StateAsync();

        await HandleAllAsync(events);

        Assert.Equal(once, await StateAsync());
        Assert.Contains("Hi! Do you ship to Lisbon?", once);
    }

    [Fact]
    public async Task Handle_FixturesInReverseOrder_SameThreadsAsInOrder()
    {
        var events = ThreadFixtures.SelectMany(Events).ToList();
        await HandleAllAsync(events);
        var inOrder = await StateAsync();
        using var other = new SqliteStores();
        var reversed = new ConversationHandlersTests.Fresh(other);

        await reversed.HandleAllAsync(Enumerable.Reverse(events));

        Assert.Equal(inOrder, await reversed.StateAsync());
    }

    [Fact]
    public async Task Handle_EchoMessage_LandsInTheCustomersThreadOnTheBusinessSide()
    {
        await HandleAllAsync(Events("messages_text").Concat(Events("messages_echo")));

        var thread = await _stores.Conversations.MessagesAsync("17841400000000001-7133578946711339", default);
        Assert.Equal([false, true], thread.Select(m => m.FromBusiness));
    }

    [Fact]
    public async Task Handle_CommentReply_RecordsItsParent()
    {
        await HandleAllAsync(Events("comments_reply"));

        var reply = Assert.Single(await _stores.Comments.ListAsync(null, null, 50, default));
        Assert.NotNull(reply.ParentId);
        Assert.Equal("comments", reply.Type);
    }

    /// <summary>The same handlers over another store, for comparing two histories.</summary>
    sealed class Fresh(SqliteStores stores)
    {
        readonly ConversationHandlersTests _inner = new(stores);
        public Task HandleAllAsync(IEnumerable<WebhookEvent> events) => _inner.HandleAllAsync(events);
        public Task<string> StateAsync() => _inner.StateAsync();
    }

    ConversationHandlersTests(SqliteStores stores) => _stores = stores;
    public ConversationHandlersTests() : this(new SqliteStores()) { }
}
