using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InstantChat.Core.Parsing;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;

using static InstantChat.Tests.Parsing.ParserChecks;

namespace InstantChat.Tests.Parsing;

public sealed class InstagramParserTests
{
    const string Account = "17841400000000001";
    const string Account2 = "17841400000000002";
    const string Customer = "7133578946711339";
    const string Customer2 = "6981234567890123";

    const string Mid1 = "aWdfaXRlbToxOklHTWVzc2FnZVRocmVhZEl0ZW06MTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4MDc5MTk6MzEyMjkzODkxOTQ5NjY0NjQxMjc5ODMwNjc3MDY3NTcwMDE";
    const string Mid2 = "aWdfaXRlbToxOklHTWVzc2FnZVRocmVhZEl0ZW06MTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4MTU4Mzg6MzEyMjkzODkxOTQ5NjY0NjQxMjc5ODMwNjc3MDY3NTcwMDI";
    const string Mid4 = "aWdfaXRlbToxOklHTWVzc2FnZVRocmVhZEl0ZW06MTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4MzE2NzY6MzEyMjkzODkxOTQ5NjY0NjQxMjc5ODMwNjc3MDY3NTcwMDQ";
    const string Mid5 = "aWdfaXRlbToxOklHTWVzc2FnZVRocmVhZEl0ZW06MTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4Mzk1OTU6MzEyMjkzODkxOTQ5NjY0NjQxMjc5ODMwNjc3MDY3NTcwMDU";
    const string Mid6 = "aWdfaXRlbToxOklHTWVzc2FnZVRocmVhZEl0ZW06MTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4NDc1MTQ6MzEyMjkzODkxOTQ5NjY0NjQxMjc5ODMwNjc3MDY3NTcwMDY";
    const string Mid7 = "aWdfaXRlbToxOklHTWVzc2FnZVRocmVhZEl0ZW06MTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4NTU0MzM6MzEyMjkzODkxOTQ5NjY0NjQxMjc5ODMwNjc3MDY3NTcwMDc";
    const string Mid8 = "aWdfaXRlbToxOklHTWVzc2FnZVRocmVhZEl0ZW06MTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4NjMzNTI6MzEyMjkzODkxOTQ5NjY0NjQxMjc5ODMwNjc3MDY3NTcwMDg";
    const string Mid9 = "aWdfaXRlbToxOklHTWVzc2FnZVRocmVhZEl0ZW06MTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4NzEyNzE6MzEyMjkzODkxOTQ5NjY0NjQxMjc5ODMwNjc3MDY3NTcwMDk";
    const string Mid10 = "aWdfaXRlbToxOklHTWVzc2FnZVRocmVhZEl0ZW06MTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4NzkxOTA6MzEyMjkzODkxOTQ5NjY0NjQxMjc5ODMwNjc3MDY3NTcwMTA";
    const string Mid13 = "aWdfaXRlbToxOklHTWVzc2FnZVRocmVhZEl0ZW06MTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4MDI5NDc6MzEyMjkzODkxOTQ5NjY0NjQxMjc5ODMwNjc3MDY3NTcwMTM";
    const string Mid20 = "aWdfaXRlbToxOklHTWVzc2FnZVRocmVhZEl0ZW06MTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4NTgzODA6MzEyMjkzODkxOTQ5NjY0NjQxMjc5ODMwNjc3MDY3NTcwMjA";
    const string Mid21 = "aWdfaXRlbToxOklHTWVzc2FnZVRocmVhZEl0ZW06MTc4NDE0MDAwMDAwMDAwMDE6MzQwMjgyMzY2ODQxNzEwMzAwOTQ5MTI4NjYyOTk6MzEyMjkzODkxOTQ5NjY0NjQxMjc5ODMwNjc3MDY3NTcwMjE";

    const string Cdn = "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1803458912367291&signature=AbzQx7";

    static WebhookEvent ParseSingle(string fixture) => Assert.Single(Parse(Fixture.Load(fixture)));

    static void AssertUnparseable(WebhookEvent e, string because)
    {
        Assert.Equal(EventTypes.Unknown, e.EventType);
        Assert.Equal(ProcessingStatus.Failed, e.ProcessedStatus);
        Assert.NotNull(e.LastError);
        Assert.StartsWith("unparseable: ", e.LastError, StringComparison.Ordinal);
        Assert.Contains(because, e.LastError, StringComparison.Ordinal);
        Assert.StartsWith("unknown:h:", e.DeduplicationKey, StringComparison.Ordinal);
        Assert.Matches("^unknown:h:[0-9a-f]{32}$", e.DeduplicationKey);
        Assert.Null(e.AccountId);
        Assert.Null(e.SenderId);
        Assert.Null(e.RecipientId);
        Assert.Equal(ReceivedAt, e.Timestamp);
        Assert.Equal(ReceivedAt, e.ReceivedAt);
        Assert.Equal(DeliveryId, e.DeliveryId);
        Assert.Equal(EventIds.Length, e.EventId.Length);
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
    }

    // ---- messages ----------------------------------------------------------------------------

    [Fact]
    public void Parse_TextMessage_ExtractsAllFields()
    {
        var e = ParseSingle("messages_text");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(11, 59, 59, 123), e.Timestamp); // the item's milliseconds, not entry.time
        Assert.Equal(TimeSpan.Zero, e.Timestamp.Offset);
        Assert.Equal(new EventContent("Hi! Do you ship to Lisbon?", null, null), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:messages:{Mid1}", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("messages_text", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_BodyWithByteOrderMark_ParsedAsWithout()
    {
        var plain = Fixture.Load("messages_text");
        var e = Assert.Single(Parse([.. "\uFEFF"u8, .. plain]));

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Assert.Single(Parse(plain)).DeduplicationKey, e.DeduplicationKey);
    }

    [Fact]
    public void Parse_EchoMessage_KeepsBusinessAsSender()
    {
        var e = ParseSingle("messages_echo");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Account, e.SenderId);
        Assert.Equal(Customer, e.RecipientId);
        Assert.Equal(Utc(12, 1, 0, 456), e.Timestamp);
        Assert.Equal(new EventContent("Yes, we ship to Portugal in 3-5 days.", null, null), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:messages:{Mid2}", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("messages_echo", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_DeletedMessage_KeysAsDelete()
    {
        var e = ParseSingle("messages_deleted");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 2, 0, 789), e.Timestamp);
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:messages:{Mid1}:deleted", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("messages_deleted", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_UnsupportedMessage_KeysByMid()
    {
        var e = ParseSingle("messages_unsupported");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 3, 0), e.Timestamp);
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:messages:{Mid4}", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("messages_unsupported", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_ImageAttachment_ExtractsMediaUrlAndType()
    {
        var e = ParseSingle("messages_attachment_image");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 4, 0, 250), e.Timestamp);
        Assert.Equal(new EventContent(null, Cdn + "1", "image"), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:messages:{Mid5}", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("messages_attachment_image", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_MixedAttachments_TakesFirstAttachment()
    {
        var e = ParseSingle("messages_attachments_mixed");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 5, 0, 300), e.Timestamp);
        Assert.Equal(new EventContent(null, Cdn + "video", "video"), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:messages:{Mid6}", e.DeduplicationKey);
        var update = Fixture.Update("messages_attachments_mixed", 0, "messaging", 0);
        AssertParsed(e, update);
        // Every attachment stays in the payload even though Content shows only the first.
        var types = update["message"]!["attachments"]!.AsArray().Select(a => (string)a!["type"]!);
        Assert.Equal(["video", "audio", "file", "share", "story_mention", "ig_reel"], types);
    }

    [Fact]
    public void Parse_ReplyToMessage_KeysByOwnMid()
    {
        var e = ParseSingle("messages_reply_to_message");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 6, 0, 400), e.Timestamp);
        Assert.Equal(new EventContent("The blue one, please", null, null) { RefersTo = Mid2 }, e.Content); // the message it answers
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:messages:{Mid7}", e.DeduplicationKey);
        Assert.DoesNotContain(Mid2, e.DeduplicationKey, StringComparison.Ordinal);
        AssertParsed(e, Fixture.Update("messages_reply_to_message", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_ReplyToStory_ExtractsText()
    {
        var e = ParseSingle("messages_reply_to_story");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 7, 0, 500), e.Timestamp);
        Assert.Equal(new EventContent("Love this look 😍", null, null), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:messages:{Mid8}", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("messages_reply_to_story", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_QuickReply_ExtractsText()
    {
        var e = ParseSingle("messages_quick_reply");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 8, 0, 600), e.Timestamp);
        Assert.Equal(new EventContent("Track my order", null, null), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:messages:{Mid9}", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("messages_quick_reply", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_MessageWithAdReferral_IsMessageKeyedByMid()
    {
        var e = ParseSingle("messages_ad_referral");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 9, 0, 700), e.Timestamp);
        Assert.Equal(new EventContent("Is this still available?", null, null), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:messages:{Mid10}", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("messages_ad_referral", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_MessageEdit_KeptUnderOwnNameWithHashKey()
    {
        var e = ParseSingle("message_edit");

        Assert.Equal("message_edit", e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 26, 0, 123), e.Timestamp);
        Assert.Equal(EventContent.Empty, e.Content); // the edited text is only in the payload
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        AssertHashKey($"{Account}:message_edit", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("message_edit", 0, "messaging", 0));
    }

    // ---- reactions, postbacks, referrals, seen -----------------------------------------------

    [Fact]
    public void Parse_Reaction_KeysByMidSenderActionAndMilliseconds()
    {
        var e = ParseSingle("message_reactions_react");

        Assert.Equal(EventTypes.MessageReactions, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 10, 0, 800), e.Timestamp);
        Assert.Equal(new EventContent("\u2764\uFE0F", null, null) { RefersTo = Mid2 }, e.Content); // the message reacted to
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:message_reactions:{Mid2}:{Customer}:react:1764331800800", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("message_reactions_react", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_Unreact_KeysWithUnreactAction()
    {
        var e = ParseSingle("message_reactions_unreact");

        Assert.Equal(EventTypes.MessageReactions, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 11, 0, 900), e.Timestamp);
        Assert.Equal(EventContent.Empty with { RefersTo = Mid2 }, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:message_reactions:{Mid2}:{Customer}:unreact:1764331860900", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("message_reactions_unreact", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_Postback_KeysByPostbackMidWithTitleAsText()
    {
        var e = ParseSingle("messaging_postbacks");

        Assert.Equal(EventTypes.MessagingPostbacks, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 12, 0, 10), e.Timestamp);
        Assert.Equal(new EventContent("Talk to a human", null, null), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:messaging_postbacks:{Mid13}", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("messaging_postbacks", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_Referral_HashKeyAndRefAsText()
    {
        var e = ParseSingle("messaging_referral");

        Assert.Equal(EventTypes.MessagingReferral, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 13, 0, 20), e.Timestamp);
        Assert.Equal(new EventContent("bio_link", null, null), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        AssertHashKey($"{Account}:messaging_referral", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("messaging_referral", 0, "messaging", 0));
    }

    [Fact]
    public void Parse_Seen_KeysByMidAndSender()
    {
        var e = ParseSingle("messaging_seen");

        Assert.Equal(EventTypes.MessagingSeen, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 14, 0, 30), e.Timestamp);
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:messaging_seen:{Mid2}:{Customer}", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("messaging_seen", 0, "messaging", 0));
    }

    // ---- changes: comments, live comments, mentions -------------------------------------------

    [Fact]
    public void Parse_Comment_ExtractsCommenterAndMedia()
    {
        var e = ParseSingle("comments");

        Assert.Equal(EventTypes.Comments, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer2, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 15, 0), e.Timestamp); // entry.time, in seconds
        Assert.Equal(new EventContent("Which sizes do you have?", null, "FEED"), e.Content);
        Assert.Equal(new UserInfo("ana.lisboa", null, null), e.UserInfo);
        Assert.Equal($"{Account}:comments:17990000000000001", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("comments", 0, "changes", 0));
    }

    [Fact]
    public void Parse_CommentReply_KeysByOwnId()
    {
        var e = ParseSingle("comments_reply");

        Assert.Equal(EventTypes.Comments, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 16, 0), e.Timestamp);
        Assert.Equal(new EventContent("@ana.lisboa S to XL I think", null, "FEED"), e.Content);
        Assert.Equal(new UserInfo("joao_porto", null, null), e.UserInfo);
        Assert.Equal($"{Account}:comments:17990000000000002", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("comments_reply", 0, "changes", 0));
    }

    [Fact]
    public void Parse_CommentWithCommentIdField_KeysByCommentId()
    {
        var e = ParseSingle("comments_comment_id_variant");

        Assert.Equal(EventTypes.Comments, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer2, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 17, 0), e.Timestamp);
        Assert.Equal(new EventContent("🔥🔥", null, "REELS"), e.Content);
        Assert.Equal(new UserInfo("ana.lisboa", null, null), e.UserInfo);
        Assert.Equal($"{Account}:comments:17990000000000003", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("comments_comment_id_variant", 0, "changes", 0));
    }

    [Fact]
    public void Parse_LiveComment_TypedLiveComments()
    {
        var e = ParseSingle("live_comments");

        Assert.Equal(EventTypes.LiveComments, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(Customer2, e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 18, 0), e.Timestamp);
        Assert.Equal(new EventContent("Hello from Lisbon!", null, "LIVE"), e.Content);
        Assert.Equal(new UserInfo("ana.lisboa", null, null), e.UserInfo);
        Assert.Equal($"{Account}:live_comments:17990000000000004", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("live_comments", 0, "changes", 0));
    }

    [Fact]
    public void Parse_MentionInComment_KeysByMediaAndComment()
    {
        var e = ParseSingle("mentions_comment");

        Assert.Equal(EventTypes.Mentions, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Null(e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 19, 0), e.Timestamp);
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:mentions:18023456789012345:17990000000000005", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("mentions_comment", 0, "changes", 0));
    }

    [Fact]
    public void Parse_MentionInCaption_KeysByMediaAndDash()
    {
        var e = ParseSingle("mentions_caption");

        Assert.Equal(EventTypes.Mentions, e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Null(e.SenderId);
        Assert.Equal(Account, e.RecipientId);
        Assert.Equal(Utc(12, 20, 0), e.Timestamp);
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account}:mentions:18023456789012346:-", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("mentions_caption", 0, "changes", 0));
    }

    [Fact]
    public void Parse_UnknownChangeField_KeptUnderOwnNameWithHashKey()
    {
        var e = ParseSingle("unknown_field");

        Assert.Equal("story_insights", e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Null(e.SenderId);
        Assert.Null(e.RecipientId);
        Assert.Equal(Utc(12, 25, 0), e.Timestamp);
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        AssertHashKey($"{Account}:story_insights", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("unknown_field", 0, "changes", 0));
    }

    // ---- Meta's dashboard Test button --------------------------------------------------------

    [Fact]
    public void Parse_DashboardTestMessage_ParsedLikeMessagingWithStringSeconds()
    {
        var e = ParseSingle("dashboard_test_messages");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal("0", e.AccountId);
        Assert.Equal("12334", e.SenderId);
        Assert.Equal("23245", e.RecipientId);
        Assert.Equal(new DateTimeOffset(2018, 5, 27, 22, 23, 44, TimeSpan.Zero), e.Timestamp); // "1527459824" is seconds
        Assert.Equal(new EventContent("random_text", null, null), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal("0:messages:random_mid", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("dashboard_test_messages", 0, "changes", 0)); // the whole change
    }

    [Fact]
    public void Parse_DashboardTestMessageTwice_SameKey()
    {
        var first = ParseSingle("dashboard_test_messages");
        var second = ParseSingle("dashboard_test_messages");
        Assert.Equal(first.DeduplicationKey, second.DeduplicationKey);
        Assert.NotEqual(first.EventId, second.EventId);
    }

    [Fact]
    public void Parse_DashboardTestComment_KeysByCommentId()
    {
        var e = ParseSingle("dashboard_test_comments");

        Assert.Equal(EventTypes.Comments, e.EventType);
        Assert.Equal("0", e.AccountId);
        Assert.Equal("232323232", e.SenderId);
        Assert.Equal("0", e.RecipientId);
        Assert.Equal(Utc(12, 22, 0), e.Timestamp);
        Assert.Equal(new EventContent("This is an example.", null, "FEED"), e.Content);
        Assert.Equal(new UserInfo("test", null, null), e.UserInfo);
        Assert.Equal("0:comments:17865799348089039", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("dashboard_test_comments", 0, "changes", 0));
    }

    // ---- batches and other arrays ------------------------------------------------------------

    [Fact]
    public void Parse_BatchOfTwoEntries_OneEventPerUpdateInOrder()
    {
        const string name = "batch_multi_entry";
        var events = Parse(Fixture.Load(name));

        Assert.Equal(5, events.Count);

        var a = events[0];
        Assert.Equal(EventTypes.Messages, a.EventType);
        Assert.Equal(Account, a.AccountId);
        Assert.Equal(Customer, a.SenderId);
        Assert.Equal(Account, a.RecipientId);
        Assert.Equal(Utc(12, 22, 55), a.Timestamp);
        Assert.Equal(new EventContent("Hello?", null, null), a.Content);
        Assert.Equal(UserInfo.Empty, a.UserInfo);
        Assert.Equal($"{Account}:messages:{Mid20}", a.DeduplicationKey);
        AssertParsed(a, Fixture.Update(name, 0, "messaging", 0));

        var b = events[1];
        Assert.Equal(EventTypes.Messages, b.EventType);
        Assert.Equal(Account, b.AccountId);
        Assert.Equal(Customer, b.SenderId);
        Assert.Equal(Account, b.RecipientId);
        Assert.Equal(Utc(12, 22, 55), b.Timestamp);
        Assert.Equal(new EventContent("Anyone there?", null, null), b.Content);
        Assert.Equal(UserInfo.Empty, b.UserInfo);
        Assert.Equal($"{Account}:messages:{Mid21}", b.DeduplicationKey);
        AssertParsed(b, Fixture.Update(name, 0, "messaging", 1));

        var c = events[2];
        Assert.Equal(EventTypes.MessageReactions, c.EventType);
        Assert.Equal(Account, c.AccountId);
        Assert.Equal(Customer2, c.SenderId);
        Assert.Equal(Account, c.RecipientId);
        Assert.Equal(Utc(12, 22, 57, 500), c.Timestamp);
        Assert.Equal(new EventContent("😮", null, null) { RefersTo = Mid2 }, c.Content);
        Assert.Equal(UserInfo.Empty, c.UserInfo);
        Assert.Equal($"{Account}:message_reactions:{Mid2}:{Customer2}:react:1764332577500", c.DeduplicationKey);
        AssertParsed(c, Fixture.Update(name, 0, "messaging", 2));

        var d = events[3];
        Assert.Equal(EventTypes.Comments, d.EventType);
        Assert.Equal(Account2, d.AccountId);
        Assert.Equal(Customer2, d.SenderId);
        Assert.Equal(Account2, d.RecipientId);
        Assert.Equal(Utc(12, 23, 10), d.Timestamp);
        Assert.Equal(new EventContent("Nice!", null, "FEED"), d.Content);
        Assert.Equal(new UserInfo("ana.lisboa", null, null), d.UserInfo);
        Assert.Equal($"{Account2}:comments:17990000000000010", d.DeduplicationKey);
        AssertParsed(d, Fixture.Update(name, 1, "changes", 0));

        var e = events[4];
        Assert.Equal(EventTypes.Mentions, e.EventType);
        Assert.Equal(Account2, e.AccountId);
        Assert.Null(e.SenderId);
        Assert.Equal(Account2, e.RecipientId);
        Assert.Equal(Utc(12, 23, 10), e.Timestamp);
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Account2}:mentions:18023456789019999:17990000000000011", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update(name, 1, "changes", 1));

        Assert.Equal(5, events.Select(x => x.DeduplicationKey).Distinct().Count());
        Assert.Equal(5, events.Select(x => x.EventId).Distinct().Count());
    }

    [Fact]
    public void Parse_Standby_KeptUnderOwnNameWithHashKey()
    {
        var e = ParseSingle("standby");

        Assert.Equal("standby", e.EventType);
        Assert.Equal(Account, e.AccountId);
        Assert.Null(e.SenderId);
        Assert.Null(e.RecipientId);
        Assert.Equal(Utc(12, 24, 0), e.Timestamp); // entry.time in milliseconds: the item is not read
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        AssertHashKey($"{Account}:standby", e.DeduplicationKey);
        AssertParsed(e, Fixture.Update("standby", 0, "standby", 0));
    }

    public static TheoryData<string> FixtureNames => new(Fixture.Names);

    [Theory]
    [MemberData(nameof(FixtureNames))]
    public void Parse_EveryFixture_PendingEventsWithAccountScopedKeys(string name)
    {
        var root = Fixture.Json(name);
        var updates = root["entry"]!.AsArray().Sum(entry => entry!.AsObject().Where(p => p.Value is JsonArray).Sum(p => p.Value!.AsArray().Count));

        var events = Parse(Fixture.Load(name));

        Assert.Equal(updates, events.Count);
        foreach (var e in events)
        {
            Assert.Equal(ProcessingStatus.Pending, e.ProcessedStatus);
            Assert.NotEqual(EventTypes.Unknown, e.EventType);
            Assert.StartsWith(e.AccountId + ":" + e.EventType + ":", e.DeduplicationKey, StringComparison.Ordinal);
            Assert.Equal(DeliveryId, e.DeliveryId);
            Assert.Equal(ReceivedAt, e.ReceivedAt);
            Assert.Equal(EventIds.Length, e.EventId.Length);
            using var _ = JsonDocument.Parse(e.Payload!);
        }
    }

    [Fact]
    public void Fixture_Directory_HoldsEveryScenario()
    {
        string[] expected =
        [
            "batch_multi_entry", "comments", "comments_comment_id_variant", "comments_reply", "dashboard_test_comments",
            "dashboard_test_messages", "live_comments", "mentions_caption", "mentions_comment", "message_edit",
            "message_reactions_react", "message_reactions_unreact", "messages_ad_referral", "messages_attachment_image",
            "messages_attachments_mixed", "messages_deleted", "messages_echo", "messages_quick_reply",
            "messages_reply_to_message", "messages_reply_to_story", "messages_text", "messages_unsupported",
            "messaging_postbacks", "messaging_referral", "messaging_seen", "standby", "unknown_field",
        ];
        Assert.Equal(expected, Fixture.Names);
    }

    // ---- unparseable deliveries --------------------------------------------------------------

    public static TheoryData<string, string> UnparseableCases => new()
    {
        { "empty", "empty body" },
        { "invalid_json", "invalid JSON" },
        { "truncated", "invalid JSON" },
        { "array_root", "the body is not a JSON object" },
        { "string_root", "the body is not a JSON object" },
        { "object_other", "object is \"user\"" },
        { "missing_entry", "no \"entry\" array" },
        { "entry_not_array", "no \"entry\" array" },
        { "entry_empty", "the delivery holds no updates" },
        { "entry_without_updates", "the delivery holds no updates" },
        { "entry_with_empty_arrays", "the delivery holds no updates" },
        { "deep_nesting_100", "invalid JSON" },
        { "invalid_utf8_bytes", "UTF-8" },
        { "utf16_body", "invalid JSON" },
    };

    static byte[] UnparseableBody(string name) => name switch
    {
        "empty" => [],
        "invalid_json" => Encoding.UTF8.GetBytes("{\"object\":\"instagram\",\"entry\":[{\"id\":'17841400000000001'}]}"),
        "truncated" => Fixture.Load("messages_text")[..100],
        "array_root" => Encoding.UTF8.GetBytes($"[{Encoding.UTF8.GetString(Fixture.Load("messages_text"))}]"),
        "string_root" => Encoding.UTF8.GetBytes("\"instagram\""),
        "object_other" => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(Fixture.Load("messages_text")).Replace("\"instagram\"", "\"user\"", StringComparison.Ordinal)),
        "missing_entry" => Encoding.UTF8.GetBytes("{\"object\":\"instagram\"}"),
        "entry_not_array" => Encoding.UTF8.GetBytes($"{{\"object\":\"instagram\",\"entry\":{{\"id\":\"{Account}\",\"time\":1764331200}}}}"),
        "entry_empty" => Encoding.UTF8.GetBytes("{\"object\":\"instagram\",\"entry\":[]}"),
        "entry_without_updates" => Encoding.UTF8.GetBytes($"{{\"object\":\"instagram\",\"entry\":[{{\"id\":\"{Account}\",\"time\":1764331200}}]}}"),
        "entry_with_empty_arrays" => Encoding.UTF8.GetBytes($"{{\"object\":\"instagram\",\"entry\":[{{\"id\":\"{Account}\",\"time\":1764331200,\"messaging\":[],\"changes\":[]}}]}}"),
        "deep_nesting_100" => DeeplyNested(100),
        "invalid_utf8_bytes" => InvalidUtf8Body(),
        "utf16_body" => Encoding.Unicode.GetBytes(Encoding.UTF8.GetString(Fixture.Load("messages_text"))),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>A messaging item whose text holds 100 levels of nested objects: over the parser's depth limit.</summary>
    static byte[] DeeplyNested(int levels)
    {
        var sb = new StringBuilder($"{{\"object\":\"instagram\",\"entry\":[{{\"id\":\"{Account}\",\"time\":1764331200,\"messaging\":[");
        for (var i = 0; i < levels; i++) sb.Append("{\"a\":");
        sb.Append('1');
        sb.Append('}', levels);
        sb.Append("]}]}");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    /// <summary>The text message with bytes that are not UTF-8 (0xC3 0x28, a lone 0xFF) inside its text.</summary>
    static byte[] InvalidUtf8Body()
    {
        var text = Encoding.UTF8.GetString(Fixture.Load("messages_text"));
        var at = text.IndexOf("Lisbon", StringComparison.Ordinal);
        var before = Encoding.UTF8.GetBytes(text[..at]);
        var after = Encoding.UTF8.GetBytes(text[at..]);
        return [.. before, 0xC3, 0x28, 0xFF, .. after];
    }

    [Theory]
    [MemberData(nameof(UnparseableCases))]
    public void Parse_Unparseable_OneFailedUnknownEventSayingWhy(string body, string because)
    {
        var events = Parse(UnparseableBody(body));

        var e = Assert.Single(events);
        AssertUnparseable(e, because);
    }

    [Fact]
    public void Parse_DeepNesting_ErrorMentionsDepth()
    {
        var e = Assert.Single(Parse(DeeplyNested(100)));
        AssertUnparseable(e, "invalid JSON");
        Assert.Contains("depth", e.LastError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Parse_ObjectFieldTooLong_TruncatedInError()
    {
        var obj = new string('x', 100);
        var e = Assert.Single(Parse($"{{\"object\":\"{obj}\",\"entry\":[]}}"));
        AssertUnparseable(e, $"object is \"{new string('x', 40)}…\"");
    }

    [Fact]
    public void Parse_SameInvalidBodyTwice_SameKey()
    {
        var body = Encoding.UTF8.GetBytes("{\"object\":\"instagram\",\"entry\":[{");
        var first = Assert.Single(Parse(body));
        var second = Assert.Single(Parse(body.ToArray()));

        Assert.Equal(first.DeduplicationKey, second.DeduplicationKey);
        Assert.NotEqual(first.EventId, second.EventId);
    }

    [Fact]
    public void Parse_DifferentInvalidBodies_DifferentKeys()
    {
        var first = Assert.Single(Parse("{\"object\":\"instagram\",\"entry\":[{"));
        var second = Assert.Single(Parse("{\"object\":\"instagram\",\"entry\":[{ "));
        Assert.NotEqual(first.DeduplicationKey, second.DeduplicationKey);
    }

    [Fact]
    public void Parse_EntryNotAnObject_FailedUnknownEventForThatEntry()
    {
        var events = Parse($"{{\"object\":\"instagram\",\"entry\":[42,{{\"id\":\"{Account}\",\"time\":1764331200,\"changes\":[{{\"field\":\"mentions\",\"value\":{{\"media_id\":\"1\"}}}}]}}]}}");

        Assert.Equal(2, events.Count);
        var bad = events[0];
        Assert.Equal(EventTypes.Unknown, bad.EventType);
        Assert.Equal(ProcessingStatus.Failed, bad.ProcessedStatus);
        Assert.Equal("unparseable: an entry is not a JSON object", bad.LastError);
        Assert.Null(bad.AccountId);
        Assert.Equal("42", bad.Payload);
        Assert.Matches("^:unknown:h:[0-9a-f]{32}$", bad.DeduplicationKey);
        Assert.Equal(ReceivedAt, bad.Timestamp);

        Assert.Equal(ProcessingStatus.Pending, events[1].ProcessedStatus);
        Assert.Equal($"{Account}:mentions:1:-", events[1].DeduplicationKey);
    }

    // ---- robustness: the parser never throws ---------------------------------------------------

    [Theory]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("\"x\"")]
    [InlineData("[]")]
    public void Parse_MessagingItemNotAnObject_DoesNotThrow(string item)
    {
        var body = $"{{\"object\":\"instagram\",\"entry\":[{{\"id\":\"{Account}\",\"time\":1764331200,\"messaging\":[{item}]}}]}}";

        var ex = Record.Exception(() => Parse(body));

        Assert.Null(ex);
        var e = Assert.Single(Parse(body));
        Assert.Equal(Account, e.AccountId);
        Assert.Equal(item, e.Payload);
        Assert.StartsWith($"{Account}:", e.DeduplicationKey, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\\ud83d")]          // a lone high surrogate (a truncated emoji)
    [InlineData("\\udc00 tail")]     // a lone low surrogate
    public void Parse_TextWithLoneSurrogateEscape_DoesNotThrow(string escapedText)
    {
        var body = $"{{\"object\":\"instagram\",\"entry\":[{{\"id\":\"{Account}\",\"time\":1764331200,\"messaging\":[" +
            $"{{\"sender\":{{\"id\":\"{Customer}\"}},\"recipient\":{{\"id\":\"{Account}\"}},\"timestamp\":1764331199123," +
            $"\"referral\":{{\"ref\":\"{escapedText}\",\"source\":\"IGME_LINK\",\"type\":\"OPEN_THREAD\"}}}}]}}]}}";

        var ex = Record.Exception(() => Parse(body));

        Assert.Null(ex);
        var e = Assert.Single(Parse(body));
        Assert.Equal(Account, e.AccountId);
    }

    // ---- timestamps ---------------------------------------------------------------------------

    [Theory]
    [InlineData("1764331199", 0)]          // seconds
    [InlineData("1764331199123", 123)]     // milliseconds
    [InlineData("\"1764331199\"", 0)]      // seconds as a string
    [InlineData("\"1764331199123\"", 123)] // milliseconds as a string
    [InlineData("\"2025-11-28T11:59:59Z\"", 0)]
    [InlineData("\"2025-11-28T12:59:59+01:00\"", 0)]
    public void Parse_TimestampFormats_SameUtcInstant(string timestamp, int millisecond)
    {
        var body = $"{{\"object\":\"instagram\",\"entry\":[{{\"id\":\"{Account}\",\"time\":1764331200,\"messaging\":[" +
            $"{{\"sender\":{{\"id\":\"{Customer}\"}},\"recipient\":{{\"id\":\"{Account}\"}},\"timestamp\":{timestamp}," +
            $"\"message\":{{\"mid\":\"m1\",\"text\":\"hi\"}}}}]}}]}}";

        var e = Assert.Single(Parse(body));

        Assert.Equal(Utc(11, 59, 59, millisecond), e.Timestamp);
        Assert.Equal(TimeSpan.Zero, e.Timestamp.Offset);
    }

    [Fact]
    public void Parse_NoItemTimestamp_FallsBackToEntryTimeThenReceivedAt()
    {
        var withEntryTime = Assert.Single(Parse(
            $"{{\"object\":\"instagram\",\"entry\":[{{\"id\":\"{Account}\",\"time\":1764331200500,\"messaging\":[{{\"sender\":{{\"id\":\"1\"}},\"message\":{{\"mid\":\"m1\"}}}}]}}]}}"));
        var without = Assert.Single(Parse(
            $"{{\"object\":\"instagram\",\"entry\":[{{\"id\":\"{Account}\",\"messaging\":[{{\"sender\":{{\"id\":\"1\"}},\"message\":{{\"mid\":\"m1\"}}}}]}}]}}"));

        Assert.Equal(Utc(12, 0, 0, 500), withEntryTime.Timestamp);
        Assert.Equal(ReceivedAt, without.Timestamp);
    }

    // ---- deduplication keys ------------------------------------------------------------------

    [Fact]
    public void Parse_ReferralReserializedInAnotherBatch_SameHashKey()
    {
        var original = ParseSingle("messaging_referral");

        // The same update with keys in reverse order, no whitespace, a needless \u escape, and
        // regrouped after another update in a delivery sent at another time.
        var item = Reversed(Fixture.Update("messaging_referral", 0, "messaging", 0));
        var itemJson = item.ToJsonString().Replace("bio_link", "\\u0062io_link", StringComparison.Ordinal);
        var other = Fixture.Update("messages_text", 0, "messaging", 0).ToJsonString();
        var body = $"{{\"entry\":[{{\"messaging\":[{other},{itemJson}],\"time\":1764339999000,\"id\":\"{Account}\"}}],\"object\":\"instagram\"}}";

        var events = Parse(body);

        Assert.Equal(2, events.Count);
        var again = events[1];
        Assert.Equal(EventTypes.MessagingReferral, again.EventType);
        Assert.Equal(new EventContent("bio_link", null, null), again.Content);
        Assert.NotEqual(original.Payload, again.Payload);
        Assert.Equal(original.DeduplicationKey, again.DeduplicationKey);
    }

    [Fact]
    public void Parse_ReferralWithDifferentRef_DifferentHashKey()
    {
        var original = ParseSingle("messaging_referral");
        var changed = Encoding.UTF8.GetString(Fixture.Load("messaging_referral")).Replace("bio_link", "story_link", StringComparison.Ordinal);

        var e = Assert.Single(Parse(changed));

        AssertHashKey($"{Account}:messaging_referral", e.DeduplicationKey);
        Assert.NotEqual(original.DeduplicationKey, e.DeduplicationKey);
    }

    [Fact]
    public void Parse_SameReferralForAnotherAccount_DifferentKey()
    {
        var original = ParseSingle("messaging_referral");
        var otherAccount = Encoding.UTF8.GetString(Fixture.Load("messaging_referral")).Replace(Account, Account2, StringComparison.Ordinal);

        var e = Assert.Single(Parse(otherAccount));

        AssertHashKey($"{Account2}:messaging_referral", e.DeduplicationKey);
        Assert.NotEqual(original.DeduplicationKey[Account.Length..], e.DeduplicationKey[Account2.Length..]);
    }

    [Fact]
    public void Parse_TwoMessagesSameSenderSameTimestamp_DifferentKeys()
    {
        var events = Parse(Fixture.Load("batch_multi_entry"));

        var (a, b) = (events[0], events[1]);
        Assert.Equal(a.SenderId, b.SenderId);
        Assert.Equal(a.Timestamp, b.Timestamp);
        Assert.NotEqual(a.DeduplicationKey, b.DeduplicationKey);
    }

    [Fact]
    public void Parse_DeleteAndItsMessage_DifferentKeys()
    {
        var message = ParseSingle("messages_text");
        var delete = ParseSingle("messages_deleted");

        Assert.Equal($"{Account}:messages:{Mid1}", message.DeduplicationKey);
        Assert.Equal($"{Account}:messages:{Mid1}:deleted", delete.DeduplicationKey);
        Assert.NotEqual(message.DeduplicationKey, delete.DeduplicationKey);
    }

    [Fact]
    public void Parse_ReactAndUnreact_DifferentKeys()
    {
        var react = ParseSingle("message_reactions_react");
        var unreact = ParseSingle("message_reactions_unreact");
        Assert.NotEqual(react.DeduplicationKey, unreact.DeduplicationKey);
    }

    [Fact]
    public void Parse_SameMessageForBothAccounts_KeysScopedToAccount()
    {
        var body = Encoding.UTF8.GetString(Fixture.Load("messages_text"));
        var mine = ParseSingle("messages_text");
        var theirs = Assert.Single(Parse(body.Replace($"\"id\": \"{Account}\",", $"\"id\": \"{Account2}\",", StringComparison.Ordinal)));

        Assert.Equal(Account2, theirs.AccountId);
        Assert.Equal($"{Account2}:messages:{Mid1}", theirs.DeduplicationKey);
        Assert.NotEqual(mine.DeduplicationKey, theirs.DeduplicationKey);
    }

    // ---- event ids ---------------------------------------------------------------------------

    /// <summary>
    /// The newest instant any test hands to <see cref="EventIds"/> (EventIdsTests uses the same one), so
    /// ids at it take the monotonic path whatever ran before. Later instants would break that test.
    /// </summary>
    static readonly DateTimeOffset NewestInstant = new(2200, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_OneDelivery_EventIdsStrictlyIncreasing()
    {
        var events = new MetaParser().Parse(ManyMessages(20), DeliveryId, NewestInstant);

        Assert.Equal(20, events.Count);
        AssertStrictlyIncreasing(events);
    }

    [Fact]
    public void Parse_AfterAnIdForALaterInstant_EventIdsStillStrictlyIncreasing()
    {
        // Two deliveries in flight: the later one (1 ms after) takes its id before this one is parsed,
        // as WebhookIngestor does under concurrent POSTs. Meta's order within a delivery must survive.
        EventIds.New(ReceivedAt.AddMilliseconds(1));

        var events = Parse(ManyMessages(20));

        AssertStrictlyIncreasing(events);
    }

    static void AssertStrictlyIncreasing(IReadOnlyList<WebhookEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
            Assert.True(string.CompareOrdinal(events[i - 1].EventId, events[i].EventId) < 0,
                $"event {i - 1} ({events[i - 1].EventId}) does not sort before event {i} ({events[i].EventId})");
    }

    static byte[] ManyMessages(int count)
    {
        var items = string.Join(',', Enumerable.Range(0, count).Select(i =>
            $"{{\"sender\":{{\"id\":\"{Customer}\"}},\"recipient\":{{\"id\":\"{Account}\"}},\"timestamp\":{1764331199123 + i},\"message\":{{\"mid\":\"m{i}\",\"text\":\"t{i}\"}}}}"));
        return Encoding.UTF8.GetBytes($"{{\"object\":\"instagram\",\"entry\":[{{\"id\":\"{Account}\",\"time\":1764331200500,\"messaging\":[{items}]}}]}}");
    }

    static JsonNode Reversed(JsonNode node) => node switch
    {
        JsonObject o => new JsonObject(o.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : (JsonNode?)Reversed(p.Value)))),
        JsonArray a => new JsonArray(a.Select(x => x is null ? null : Reversed(x)).ToArray()),
        _ => node.DeepClone(),
    };
}
