using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InstantChat.Core.Parsing;
using InstantChat.Core.EventModel;

using static InstantChat.Tests.Parsing.ParserChecks;

namespace InstantChat.Tests.Parsing;

/// <summary>Messenger (<c>"object": "page"</c>): one test per fixture under Fixtures/Messenger/, every field of every event.</summary>
public sealed class MessengerParserTests
{
    const string Page = "106000000000001";
    const string Customer = "5500000000000001";
    const string Customer2 = "5500000000000002";
    const string Commenter = "5500000000000003";

    const string MidText = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8ma6AC8fplwlqLP_5cgXIbu7I3rBN0P";
    /// <summary>The Page's answer (the echo): what the delivery receipt, the reaction and the reply refer to.</summary>
    const string MidEcho = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8CSx56PgOVZ5AS89mDEjzUitnq6n_FI";
    const string MidImage = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8YQXWzHavQAMl6U1YjOURvlv9u3O0N9";
    const string MidQuickReply = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK82Uy5P9k_8aF48UpUuHrZiFHFBZkxLn";
    const string MidReply = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK88MDuw3e7iMtwTdcdh3OY3LqZeo-4PL";
    const string MidPostback = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK81tC45pcIoAzQ7xLdmzO9QqLLiwp7jC";
    const string MidBatch1 = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8UgCfGKj4jF4U1bc6c03iwGQm6B_PI5";
    const string MidBatch2 = "m_AG5Hz2Uq7tuwNEhXfYYKj8mJEM_QPpz5jdCK48PnKAjSdjfipqxqMvK8epKGZ6IyT3kfPJsj4w1YbwcsrQe-P6";

    /// <summary>The echo's timestamp in milliseconds: the watermark of the delivery receipt and of the read.</summary>
    const string Watermark = "1764331230456";

    const string Post = "106000000000001_800000000000001";
    const string Comment1 = "800000000000001_900000000000001";
    const string Comment2 = "800000000000001_900000000000002";

    const string ImageUrl = "https://scontent.xx.fbcdn.net/v/t1.15752-9/468712345_1234567890123456_7890123456789012345_n.jpg?_nc_cat=100&ccb=1-7&_nc_sid=fc17b8&_nc_ohc=Ab3xQ7&_nc_ad=z-m&_nc_cid=0&oh=03_Q7cD1QH&oe=6770A1B2";

    static WebhookEvent ParseSingle(string fixture) => Assert.Single(Parse(Fixture.Load(Fixture.Messenger, fixture)));

    static JsonNode Messaging(string fixture, int entry = 0, int index = 0) => Fixture.Update(Fixture.Messenger, fixture, entry, "messaging", index);

    static JsonNode Change(string fixture) => Fixture.Update(Fixture.Messenger, fixture, 0, "changes", 0);

    static void AssertParsed(WebhookEvent e, JsonNode update) => ParserChecks.AssertParsed(e, update, Platforms.Messenger);


    /// <summary>The canonical hash of one part of a fixture, as the parser keys an update without natural ids.</summary>
    static string HashOf(string fixture, Func<JsonElement, JsonElement> select)
    {
        using var doc = JsonDocument.Parse(Fixture.Load(Fixture.Messenger, fixture));
        return CanonicalJson.Hash(select(doc.RootElement));
    }

    static JsonElement FirstEntry(JsonElement root, string array) => root.GetProperty("entry")[0].GetProperty(array)[0];

    // ---- messages ----------------------------------------------------------------------------

    [Fact]
    public void Parse_TextMessage_ExtractsAllFields()
    {
        var e = ParseSingle("messages_text");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(11, 59, 59, 123), e.Timestamp); // the item's milliseconds, not entry.time
        Assert.Equal(new EventContent("Hi! Is the blue jacket still available?", null, null), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Page}:messages:{MidText}", e.DeduplicationKey);
        AssertParsed(e, Messaging("messages_text"));
    }

    [Fact]
    public void Parse_EchoMessage_KeepsPageAsSender()
    {
        var e = ParseSingle("messages_echo");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Page, e.SenderId);
        Assert.Equal(Customer, e.RecipientId);
        Assert.Equal(Utc(12, 0, 30, 456), e.Timestamp);
        Assert.Equal(new EventContent("Yes, we have it in sizes S to XL.", null, null), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Page}:messages:{MidEcho}", e.DeduplicationKey);
        AssertParsed(e, Messaging("messages_echo"));
    }

    [Fact]
    public void Parse_ImageAttachment_ExtractsMediaUrlAndType()
    {
        var e = ParseSingle("messages_attachment_image");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 1, 0, 250), e.Timestamp);
        Assert.Equal(new EventContent(null, ImageUrl, "image"), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Page}:messages:{MidImage}", e.DeduplicationKey);
        AssertParsed(e, Messaging("messages_attachment_image"));
    }

    [Fact]
    public void Parse_QuickReply_ExtractsText()
    {
        var e = ParseSingle("messages_quick_reply");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 2, 0, 400), e.Timestamp);
        Assert.Equal(new EventContent("Track my order", null, null), e.Content); // the payload TRACK_ORDER is only in the payload
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Page}:messages:{MidQuickReply}", e.DeduplicationKey);
        AssertParsed(e, Messaging("messages_quick_reply"));
    }

    [Fact]
    public void Parse_ReplyToMessage_RefersToAnsweredMidAndKeysByOwnMid()
    {
        var e = ParseSingle("messages_reply_to");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 3, 0, 600), e.Timestamp);
        Assert.Equal(new EventContent("Great, I'll take the M please", null, null) { RefersTo = MidEcho }, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Page}:messages:{MidReply}", e.DeduplicationKey);
        Assert.DoesNotContain(MidEcho, e.DeduplicationKey, StringComparison.Ordinal);
        AssertParsed(e, Messaging("messages_reply_to"));
    }

    // ---- receipts, reactions, postbacks, referrals -------------------------------------------

    [Fact]
    public void Parse_DeliveryReceipt_KeysByWatermarkAndSenderAtTheWatermark()
    {
        var e = ParseSingle("message_deliveries");

        Assert.Equal(EventTypes.MessageDeliveries, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 0, 30, 456), e.Timestamp); // the item has no timestamp: the watermark, when the receipt holds from
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Page}:message_deliveries:{Watermark}:{Customer}", e.DeduplicationKey);
        AssertParsed(e, Messaging("message_deliveries"));
    }

    [Fact]
    public void Parse_Seen_KeysByWatermarkAndSender()
    {
        var e = ParseSingle("messaging_seen");

        Assert.Equal(EventTypes.MessagingSeen, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 0, 40, 30), e.Timestamp);
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Page}:messaging_seen:{Watermark}:{Customer}", e.DeduplicationKey); // Messenger's read has no mid
        AssertParsed(e, Messaging("messaging_seen"));
    }

    [Fact]
    public void Parse_Reaction_EmojiRefersToMidAndKeysByMidSenderActionAndMilliseconds()
    {
        var e = ParseSingle("message_reactions");

        Assert.Equal(EventTypes.MessageReactions, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 5, 0, 800), e.Timestamp);
        Assert.Equal(new EventContent("\u2764\uFE0F", null, null) { RefersTo = MidEcho }, e.Content); // emoji before the reaction's name
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Page}:message_reactions:{MidEcho}:{Customer}:react:1764331500800", e.DeduplicationKey);
        AssertParsed(e, Messaging("message_reactions"));
    }

    [Fact]
    public void Parse_Postback_KeysByPostbackMidWithTitleAsText()
    {
        var e = ParseSingle("messaging_postbacks");

        Assert.Equal(EventTypes.MessagingPostbacks, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 4, 0, 10), e.Timestamp);
        Assert.Equal(new EventContent("Talk to an agent", null, null), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Page}:messaging_postbacks:{MidPostback}", e.DeduplicationKey);
        AssertParsed(e, Messaging("messaging_postbacks"));
    }

    [Fact]
    public void Parse_Referral_HashKeyOfItemAndRefAsText()
    {
        var e = ParseSingle("messaging_referral");

        Assert.Equal(EventTypes.MessagingReferral, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Customer2, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 6, 0, 20), e.Timestamp);
        Assert.Equal(new EventContent("black_friday", null, null), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        AssertHashKey($"{Page}:messaging_referral", e.DeduplicationKey);
        var hash = HashOf("messaging_referral", root => FirstEntry(root, "messaging")); // of the item
        Assert.Equal($"{Page}:messaging_referral:h:{hash}", e.DeduplicationKey);
        AssertParsed(e, Messaging("messaging_referral"));
    }

    // ---- feed: the Page's posts and comments -------------------------------------------------

    [Fact]
    public void Parse_FeedPostAdd_PageIsSenderKeyedByItemPostVerbSenderAndTime()
    {
        var e = ParseSingle("feed_post_add");

        Assert.Equal(EventTypes.Feed, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Page, e.SenderId); // the Page posted
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 10, 0), e.Timestamp); // created_time, not entry.time (one second later)
        Assert.Equal(new EventContent("Black Friday: 30% off all jackets until Sunday!", null, "status"), e.Content);
        Assert.Equal(new UserInfo(null, "Casa Lisboa Store", null), e.UserInfo);
        Assert.Equal($"{Page}:feed:status:{Post}:add:{Page}:1764331800", e.DeduplicationKey);
        AssertParsed(e, Change("feed_post_add"));
    }

    [Fact]
    public void Parse_FeedCommentAdd_KeysByCommentIdAndRefersToPost()
    {
        var e = ParseSingle("feed_comment_add");

        Assert.Equal(EventTypes.Feed, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Commenter, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 15, 0), e.Timestamp);
        Assert.Equal(new EventContent("Do you ship to Porto?", null, "comment") { RefersTo = Post }, e.Content);
        Assert.Equal(new UserInfo(null, "Maria Silva", null), e.UserInfo);
        Assert.Equal($"{Page}:feed:comment:{Comment1}:add:{Commenter}:1764332100", e.DeduplicationKey);
        AssertParsed(e, Change("feed_comment_add"));
    }

    [Fact]
    public void Parse_FeedCommentReply_RefersToParentComment()
    {
        var e = ParseSingle("feed_comment_reply");

        Assert.Equal(EventTypes.Feed, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Commenter, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 16, 0), e.Timestamp);
        Assert.Equal(new EventContent("And is delivery free over 50€?", null, "comment") { RefersTo = Comment1 }, e.Content);
        Assert.Equal(new UserInfo(null, "Maria Silva", null), e.UserInfo);
        Assert.Equal($"{Page}:feed:comment:{Comment2}:add:{Commenter}:1764332160", e.DeduplicationKey);
        AssertParsed(e, Change("feed_comment_reply"));
    }

    [Fact]
    public void Parse_FeedCommentEdited_HashKeyOfValue()
    {
        var e = ParseSingle("feed_comment_edited");

        Assert.Equal(EventTypes.Feed, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Commenter, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 17, 0), e.Timestamp);
        Assert.Equal(new EventContent("Do you ship to Porto and Braga?", null, "comment") { RefersTo = Post }, e.Content);
        Assert.Equal(new UserInfo(null, "Maria Silva", null), e.UserInfo);
        AssertHashKey($"{Page}:feed", e.DeduplicationKey); // an edit differs from another edit by its content only
        var hash = HashOf("feed_comment_edited", root => FirstEntry(root, "changes").GetProperty("value")); // of the change's value
        Assert.Equal($"{Page}:feed:h:{hash}", e.DeduplicationKey);
        AssertParsed(e, Change("feed_comment_edited"));
    }

    [Fact]
    public void Parse_FeedCommentRemove_NoTextKeyedAsRemove()
    {
        var e = ParseSingle("feed_comment_remove");

        Assert.Equal(EventTypes.Feed, e.EventType);
        Assert.Equal(Page, e.AccountId);
        Assert.Equal(Commenter, e.SenderId);
        Assert.Equal(Page, e.RecipientId);
        Assert.Equal(Utc(12, 18, 0), e.Timestamp);
        Assert.Equal(new EventContent(null, null, "comment") { RefersTo = Post }, e.Content);
        Assert.Equal(new UserInfo(null, "Maria Silva", null), e.UserInfo);
        Assert.Equal($"{Page}:feed:comment:{Comment1}:remove:{Commenter}:1764332280", e.DeduplicationKey);
        AssertParsed(e, Change("feed_comment_remove"));
    }

    [Fact]
    public void Parse_FeedCommentAddAndRemove_DifferentKeys()
    {
        var add = ParseSingle("feed_comment_add");
        var edited = ParseSingle("feed_comment_edited");
        var remove = ParseSingle("feed_comment_remove");

        Assert.Equal(3, new[] { add.DeduplicationKey, edited.DeduplicationKey, remove.DeduplicationKey }.Distinct().Count());
    }

    // ---- batches -----------------------------------------------------------------------------

    [Fact]
    public void Parse_BatchOfTwoEntries_OneEventPerItemInOrder()
    {
        const string name = "batch_multi_entry";
        var events = Parse(Fixture.Load(Fixture.Messenger, name));

        Assert.Equal(2, events.Count);

        var a = events[0];
        Assert.Equal(EventTypes.Messages, a.EventType);
        Assert.Equal(Page, a.AccountId);
        Assert.Equal(Customer, a.SenderId);
        Assert.Equal(Page, a.RecipientId);
        Assert.Equal(Utc(12, 7, 59), a.Timestamp);
        Assert.Equal(new EventContent("Hello?", null, null), a.Content);
        Assert.Equal(UserInfo.Empty, a.UserInfo);
        Assert.Equal($"{Page}:messages:{MidBatch1}", a.DeduplicationKey);
        AssertParsed(a, Messaging(name, 0, 0));

        var b = events[1];
        Assert.Equal(EventTypes.Messages, b.EventType);
        Assert.Equal(Page, b.AccountId);
        Assert.Equal(Customer2, b.SenderId);
        Assert.Equal(Page, b.RecipientId);
        Assert.Equal(Utc(12, 8, 0, 900), b.Timestamp);
        Assert.Equal(new EventContent("Do you have this in size M?", null, null), b.Content);
        Assert.Equal(UserInfo.Empty, b.UserInfo);
        Assert.Equal($"{Page}:messages:{MidBatch2}", b.DeduplicationKey);
        AssertParsed(b, Messaging(name, 1, 0));

        Assert.True(string.CompareOrdinal(a.EventId, b.EventId) < 0, $"{a.EventId} does not sort before {b.EventId}");
    }

    [Fact]
    public void Fixture_Directory_HoldsEveryScenario()
    {
        string[] expected =
        [
            "batch_multi_entry", "feed_comment_add", "feed_comment_edited", "feed_comment_remove", "feed_comment_reply",
            "feed_post_add", "message_deliveries", "message_reactions", "messages_attachment_image", "messages_echo",
            "messages_quick_reply", "messages_reply_to", "messages_text", "messaging_postbacks", "messaging_referral",
            "messaging_seen",
        ];
        Assert.Equal(expected, Fixture.NamesOf(Fixture.Messenger));
    }

    // ---- envelopes ---------------------------------------------------------------------------

    [Fact]
    public void Parse_SameFixtureTwice_SameKeysNewIds()
    {
        foreach (var name in Fixture.NamesOf(Fixture.Messenger))
        {
            var first = Parse(Fixture.Load(Fixture.Messenger, name));
            var second = Parse(Fixture.Load(Fixture.Messenger, name));

            Assert.Equal(first.Select(e => e.DeduplicationKey), second.Select(e => e.DeduplicationKey));
            Assert.Empty(first.Select(e => e.EventId).Intersect(second.Select(e => e.EventId)));
        }
    }
}
