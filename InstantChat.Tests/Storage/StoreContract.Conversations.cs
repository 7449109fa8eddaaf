using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;

namespace InstantChat.Tests.Storage;

public abstract partial class StoreContract
{
    const string Acct = "acct";
    const string User = "user1";
    static readonly string Thread = ConversationIds.For(Acct, User);

    static MessageWrite Msg(string mid, int second, string? text = null, bool business = false) =>
        new(Acct, mid, Thread, User, T0.AddSeconds(second)) { HasContent = true, Text = text ?? mid, FromBusiness = business };

    static MessageWrite Mark(string mid, int second) => new(Acct, mid, Thread, User, T0.AddSeconds(second));

    /// <summary>A thread with a reaction, a delete, a read receipt and an unreact, as one list of writes.</summary>
    static IReadOnlyList<Func<IConversationStore, Task>> Story() =>
    [
        s => s.ApplyMessageAsync(Msg("m1", 1, "hello"), default),
        s => s.ApplyMessageAsync(Msg("m2", 2, "oops"), default),
        s => s.ApplyMessageAsync(Msg("e1", 3, "hi back", business: true), default),
        s => s.ApplyMessageAsync(Msg("m3", 4, "later"), default),
        s => s.ApplyReactionAsync(new(Acct, "e1", User, "react", "love", "❤️", T0.AddSeconds(5)), default),
        s => s.ApplyReactionAsync(new(Acct, "m1", User, "react", "wow", "😮", T0.AddSeconds(5)), default),
        s => s.ApplyReactionAsync(new(Acct, "m1", User, "unreact", null, null, T0.AddSeconds(6)), default),
        s => s.ApplyMessageAsync(Mark("m2", 7) with { IsDeleted = true }, default),
        s => s.ApplyMessageAsync(Mark("e1", 8) with { SeenMarker = true }, default),
    ];

    async Task<string> ThreadStateAsync()
    {
        var messages = await Conversations.MessagesAsync(Thread, default);
        var c = await Conversations.FindAsync(Thread, default);
        return System.Text.Json.JsonSerializer.Serialize(new { c, messages });
    }

    [Fact]
    public async Task Conversation_WritesInOrder_ShowReactionDeleteAndSeen()
    {
        foreach (var write in Story()) await write(Conversations);

        var m = (await Conversations.MessagesAsync(Thread, default)).ToDictionary(x => x.Mid);
        Assert.Equal(["m1", "m2", "e1", "m3"], (await Conversations.MessagesAsync(Thread, default)).Select(x => x.Mid));
        Assert.Equal("❤️", Assert.Single(m["e1"].Reactions).Emoji);
        Assert.Empty(m["m1"].Reactions); // unreacted
        Assert.True(m["m2"].IsDeleted);
        Assert.Equal([true, true, true, false], new[] { "m1", "m2", "e1", "m3" }.Select(id => m[id].Seen));
        Assert.True(m["e1"].FromBusiness);
        var c = await Conversations.FindAsync(Thread, default);
        Assert.Equal(("later", T0.AddSeconds(4), 4, 1), (c!.LastMessageText, c.LastMessageAt, c.MessageCount, c.UnreadCount));
    }

    [Fact]
    public async Task Conversation_WritesInReverseOrder_EndInTheSameState()
    {
        foreach (var write in Story()) await write(Conversations);
        var inOrder = await ThreadStateAsync();
        await DisposeAsync();
        await InitializeAsync();

        foreach (var write in Story().Reverse()) await write(Conversations);

        Assert.Equal(inOrder, await ThreadStateAsync());
    }

    [Fact]
    public async Task Conversation_EveryWriteTwice_ChangesNothingMore()
    {
        foreach (var write in Story()) await write(Conversations);
        var once = await ThreadStateAsync();

        foreach (var write in Story()) await write(Conversations);

        Assert.Equal(once, await ThreadStateAsync());
    }

    [Fact]
    public async Task Conversation_DeleteOfAMessageNeverReceived_ShowsAsDeletedWithoutTime()
    {
        await Conversations.ApplyMessageAsync(Mark("ghost", 1) with { IsDeleted = true }, default);

        var m = Assert.Single(await Conversations.MessagesAsync(Thread, default));
        Assert.Equal(("ghost", true, (DateTimeOffset?)null), (m.Mid, m.IsDeleted, m.Timestamp));
    }

    [Fact]
    public async Task Conversations_List_NewestActivityFirstWithKeysetPaging()
    {
        for (var i = 0; i < 5; i++)
            await Conversations.ApplyMessageAsync(new MessageWrite(Acct, $"m{i}", ConversationIds.For(Acct, $"u{i}"), $"u{i}", T0.AddSeconds(i)) { HasContent = true, Text = $"t{i}" }, default);
        await Conversations.ApplyMessageAsync(new MessageWrite("other", "x", ConversationIds.For("other", "u9"), "u9", T0.AddSeconds(9)) { HasContent = true }, default);

        var first = await Conversations.ListAsync(Acct, 3, null, default);
        var second = await Conversations.ListAsync(Acct, 3, first.NextCursor, default);

        Assert.Equal(["u4", "u3", "u2"], first.Items.Select(c => c.ParticipantId));
        Assert.Equal(["u1", "u0"], second.Items.Select(c => c.ParticipantId));
        Assert.Null(second.NextCursor);
        Assert.Equal(6, (await Conversations.ListAsync(null, 50, null, default)).Items.Count);
    }

    [Fact]
    public async Task Comments_RecordedTwice_StoredOnceAndFilteredByMedia()
    {
        var c = new CommentRecord("comments", Acct, "media1", "c1", null, "FEED", "u1", "bob", "nice", T0, "e1");
        await Comments.RecordAsync(c, default);
        await Comments.RecordAsync(c, default);
        await Comments.RecordAsync(c with { CommentId = "c2", ParentId = "c1", Timestamp = T0.AddSeconds(1) }, default);
        await Comments.RecordAsync(new CommentRecord("mentions", Acct, "media2", "", null, null, null, null, null, T0.AddSeconds(2), "e3"), default);

        Assert.Equal(["c2", "c1"], (await Comments.ListAsync(Acct, "media1", 50, default)).Select(x => x.CommentId));
        Assert.Equal("c1", (await Comments.ListAsync(Acct, "media1", 50, default))[0].ParentId);
        Assert.Equal(3, (await Comments.ListAsync(null, null, 50, default)).Count);
    }
}
