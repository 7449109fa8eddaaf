using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InstantChat.Core.Parsing;
using InstantChat.Core.EventModel;

using static InstantChat.Tests.Parsing.ParserChecks;

namespace InstantChat.Tests.Parsing;

/// <summary>WhatsApp Cloud API (<c>"object": "whatsapp_business_account"</c>): one test per fixture under Fixtures/WhatsApp/, every field of every event.</summary>
public sealed class WhatsAppParserTests
{
    /// <summary>The WhatsApp Business Account: entry.id, the account of every event.</summary>
    const string Waba = "102290129340398";
    /// <summary>The business's phone number (metadata.phone_number_id): recipient of messages, sender of statuses.</summary>
    const string Phone = "106540352242922";
    const string Kerry = "16505551234";
    const string Ana = "16505559876";

    /// <summary>A message the business sent: what the statuses report on, what the reaction and the reply refer to.</summary>
    const string Sent = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA";

    const string WamidText = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUY1Q0U0RkEyQkQ2MTdGMzAwRQA=";
    const string WamidImage = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTBFNzYyOTI3OTQ4ODhENEYxRgA=";
    const string WamidAudio = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUEwNkE0OTI5NTlDRTEyQjNGMAA=";
    const string WamidVideo = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUZGQkFGNThGMTIzMTYyOEY5QQA=";
    const string WamidDocument = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTRGODI3OEM4OUFEMTZEQTA1RgA=";
    const string WamidSticker = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTY1ODFGNjU0MzE0OENDMjQyNQA=";
    const string WamidLocation = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTY0NjlBQzg0QTg5NzQ4QkI2NwA=";
    const string WamidContacts = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTlEQjQ5QTU5MjQ5RUVGQjZGNgA=";
    const string WamidButtonReply = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTA5MjVDNTJGNDUyQUUyMkRFQQA=";
    const string WamidListReply = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTNGMTAyRjg1OUZERDA0RUIzQgA=";
    const string WamidButton = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTdCN0ZDQzc4RDZDRDE1MDc5MgA=";
    const string WamidReaction = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUE5MDQzRkZFNDY5ODAzRjdBNwA=";
    const string WamidReply = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTg0RjEzMDA4OURFODU0NTZCQQA=";
    const string WamidOrder = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUNDRTU1RTQzMDlBNzUzOTg1QgA=";
    const string WamidSystem = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTMxN0YxRTc2MUYyRkFBOERBNwA=";
    const string WamidUnsupported = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTk5NUZFRTFGMUE3RUIzQTJBOQA=";

    /// <summary>The interactive and template messages the business sent, which the replies' context names.</summary>
    const string ButtonReplyContext = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBJENEYxREE5NUJCMzlFRTE5Q0MA";
    const string ListReplyContext = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBIwRDBCNDRDRTRGQUU3NDdCREYA";
    const string ButtonContext = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBIyRTdFRDg5RUZERjI3RDQzREUA";

    const string BatchFromKerry = "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUNBRUU3MTI4NDAzQzIwNjQ0OAA=";
    const string BatchFromAna = "wamid.HBgLMTY1MDU1NTk4NzYVAgASGBQzQUM2RTI4QzY1NDg5RjNCQTgwMwA=";
    const string BatchToKerry = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI1NUVDNDM5NzZDNEIyRjg1MzQA";
    const string BatchToAna = "wamid.HBgLMTY1MDU1NTk4NzYVAgARGBIxMTBFN0RDQkNBN0E3MDZGMzAA";

    static readonly UserInfo KerryInfo = new(null, "Kerry Fisher", null);

    static IReadOnlyList<WebhookEvent> ParseFixture(string fixture) => Parse(Fixture.Load(Fixture.WhatsApp, fixture));

    static WebhookEvent ParseSingle(string fixture) => Assert.Single(ParseFixture(fixture));

    /// <summary>The fixture's whole (first) change: the payload of a change holding one message or status.</summary>
    static JsonNode Whole(string fixture) => Fixture.Update(Fixture.WhatsApp, fixture, 0, "changes", 0);

    static void AssertParsed(WebhookEvent e, JsonNode update) => ParserChecks.AssertParsed(e, update, Platforms.WhatsApp);

    /// <summary>
    /// The change <paramref name="change"/> of the fixture narrowed to one item of <paramref name="array"/>:
    /// every other property of the change and of its value kept, the other items dropped, and of the
    /// contacts only the sender's (none when <paramref name="waId"/> is null).
    /// </summary>
    static JsonObject Narrowed(string fixture, int change, string array, int index, string? waId)
    {
        var whole = Fixture.Update(Fixture.WhatsApp, fixture, 0, "changes", change).AsObject();
        var value = whole["value"]!.AsObject();

        var narrowedValue = new JsonObject();
        foreach (var (name, node) in value)
            if (name is not ("messages" or "statuses" or "contacts")) narrowedValue[name] = node?.DeepClone();
        if (waId is not null)
        {
            var contact = value["contacts"]!.AsArray().Single(c => (string?)c!["wa_id"] == waId);
            narrowedValue["contacts"] = new JsonArray(contact!.DeepClone());
        }
        narrowedValue[array] = new JsonArray(value[array]![index]!.DeepClone());

        var narrowed = new JsonObject();
        foreach (var (name, node) in whole)
            if (name != "value") narrowed[name] = node?.DeepClone();
        narrowed["value"] = narrowedValue;
        return narrowed;
    }

    /// <summary>The payload is the change narrowed to the one item (and its sender's contact), nothing else.</summary>
    static void AssertNarrowed(WebhookEvent e, string fixture, int change, string array, int index, string? waId)
    {
        AssertParsed(e, Narrowed(fixture, change, array, index, waId));

        var payload = JsonNode.Parse(e.Payload!)!;
        Assert.Equal("messages", (string?)payload["field"]);
        var value = payload["value"]!.AsObject();
        var item = Assert.Single(value[array]!.AsArray());
        var original = Fixture.Update(Fixture.WhatsApp, fixture, 0, "changes", change)["value"]![array]![index]!;
        Assert.True(JsonNode.DeepEquals(original, item), $"the narrowed {array} is not item {index}:\n{e.Payload}");
        var names = value.Select(p => p.Key).ToList();
        Assert.DoesNotContain(array == "messages" ? "statuses" : "messages", names);
        if (waId is null)
        {
            Assert.DoesNotContain("contacts", names); // a narrowed status keeps no contact
        }
        else
        {
            var contact = Assert.Single(value["contacts"]!.AsArray());
            Assert.Equal(waId, (string?)contact!["wa_id"]);
        }
    }


    /// <summary>The canonical hash of the fixture's first change's value, as the parser keys a change without natural ids.</summary>
    static string HashOfValue(string fixture)
    {
        using var doc = JsonDocument.Parse(Fixture.Load(Fixture.WhatsApp, fixture));
        return CanonicalJson.Hash(doc.RootElement.GetProperty("entry")[0].GetProperty("changes")[0].GetProperty("value"));
    }

    static void AssertStrictlyIncreasing(IReadOnlyList<WebhookEvent> events)
    {
        for (var i = 1; i < events.Count; i++)
            Assert.True(string.CompareOrdinal(events[i - 1].EventId, events[i].EventId) < 0,
                $"event {i - 1} ({events[i - 1].EventId}) does not sort before event {i} ({events[i].EventId})");
    }

    // ---- messages: text and media ------------------------------------------------------------

    [Fact]
    public void Parse_TextMessage_ExtractsAllFields()
    {
        var e = ParseSingle("messages_text");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(11, 59, 59), e.Timestamp); // "1764331199": seconds, as a string
        Assert.Equal(new EventContent("Hi! Do you have the blue jacket in size M?", null, null), e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidText}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_text"));
    }

    [Fact]
    public void Parse_ReplyWithContext_RefersToQuotedMessage()
    {
        var e = ParseSingle("messages_reply_context");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 13, 0), e.Timestamp);
        Assert.Equal(new EventContent("Perfect, please reserve one for me", null, null) { RefersTo = Sent }, e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidReply}", e.DeduplicationKey);
        Assert.DoesNotContain(Sent, e.DeduplicationKey, StringComparison.Ordinal);
        AssertParsed(e, Whole("messages_reply_context"));
    }

    [Fact]
    public void Parse_Image_CaptionAsTextAndMediaId()
    {
        var e = ParseSingle("messages_image");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 2, 0), e.Timestamp);
        Assert.Equal(new EventContent("This one, in blue", null, "image") { MediaId = "1003383421387256" }, e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidImage}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_image"));
    }

    [Fact]
    public void Parse_Audio_NoTextAndMediaId()
    {
        var e = ParseSingle("messages_audio");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 3, 0), e.Timestamp);
        Assert.Equal(new EventContent(null, null, "audio") { MediaId = "1003383421387257" }, e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidAudio}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_audio"));
    }

    [Fact]
    public void Parse_Video_CaptionAsTextAndMediaId()
    {
        var e = ParseSingle("messages_video");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 4, 0), e.Timestamp);
        Assert.Equal(new EventContent("How it fits", null, "video") { MediaId = "1003383421387258" }, e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidVideo}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_video"));
    }

    [Fact]
    public void Parse_Document_CaptionBeforeFilename()
    {
        var e = ParseSingle("messages_document");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 5, 0), e.Timestamp);
        Assert.Equal(new EventContent("My invoice", null, "document") { MediaId = "1003383421387259" }, e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidDocument}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_document"));
    }

    [Fact]
    public void Parse_Sticker_NoTextAndMediaId()
    {
        var e = ParseSingle("messages_sticker");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 6, 0), e.Timestamp);
        Assert.Equal(new EventContent(null, null, "sticker") { MediaId = "1003383421387260" }, e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidSticker}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_sticker"));
    }

    // ---- messages: location, contacts, interactive, button, order, system, unsupported -------

    [Fact]
    public void Parse_Location_NameAsTextAndLocationRecord()
    {
        var e = ParseSingle("messages_location");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 7, 0), e.Timestamp);
        Assert.Equal(
            new EventContent("Praça do Comércio", null, "location")
            {
                Location = new Location(38.7075, -9.1364, "Praça do Comércio", "Praça do Comércio, 1100-148 Lisboa, Portugal"),
            },
            e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidLocation}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_location"));
    }

    [Fact]
    public void Parse_SharedContact_FormattedNameAsText()
    {
        var e = ParseSingle("messages_contacts");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 8, 0), e.Timestamp);
        Assert.Equal(new EventContent("Rui Almeida", null, "contacts"), e.Content);
        Assert.Equal(KerryInfo, e.UserInfo); // the sender, not the shared contact
        Assert.Equal($"{Waba}:messages:{WamidContacts}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_contacts"));
    }

    [Fact]
    public void Parse_InteractiveButtonReply_TitleAsTextRefersToContext()
    {
        var e = ParseSingle("messages_interactive_button_reply");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 9, 0), e.Timestamp);
        Assert.Equal(new EventContent("Size M", null, "interactive") { RefersTo = ButtonReplyContext }, e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidButtonReply}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_interactive_button_reply"));
    }

    [Fact]
    public void Parse_InteractiveListReply_TitleAsTextRefersToContext()
    {
        var e = ParseSingle("messages_interactive_list_reply");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 10, 0), e.Timestamp);
        Assert.Equal(new EventContent("Express shipping", null, "interactive") { RefersTo = ListReplyContext }, e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidListReply}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_interactive_list_reply"));
    }

    [Fact]
    public void Parse_TemplateButton_TextRefersToContext()
    {
        var e = ParseSingle("messages_button");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 11, 0), e.Timestamp);
        Assert.Equal(new EventContent("Stop promotions", null, "button") { RefersTo = ButtonContext }, e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidButton}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_button"));
    }

    [Fact]
    public void Parse_Order_TextOfOrder()
    {
        var e = ParseSingle("messages_order");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 14, 0), e.Timestamp);
        Assert.Equal(new EventContent("Please gift-wrap the jacket", null, "order"), e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidOrder}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_order"));
    }

    [Fact]
    public void Parse_SystemMessageWithoutContacts_BodyAsTextNoName()
    {
        var e = ParseSingle("messages_system");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 15, 0), e.Timestamp);
        Assert.Equal(new EventContent("User Kerry Fisher changed from 16505551234 to 16505550000", null, "system"), e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo); // the change has no contacts
        Assert.Equal($"{Waba}:messages:{WamidSystem}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_system"));
    }

    [Fact]
    public void Parse_UnsupportedMessage_TypedUnsupportedNoText()
    {
        var e = ParseSingle("messages_unsupported");

        Assert.Equal(EventTypes.Messages, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 16, 0), e.Timestamp);
        Assert.Equal(new EventContent(null, null, "unsupported"), e.Content); // the error is only in the payload
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:messages:{WamidUnsupported}", e.DeduplicationKey);
        AssertParsed(e, Whole("messages_unsupported"));
    }

    [Fact]
    public void Parse_Reaction_TypedReactionEmojiRefersToMessage()
    {
        var e = ParseSingle("messages_reaction");

        Assert.Equal(EventTypes.MessageReactions, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Kerry, e.SenderId);
        Assert.Equal(Phone, e.RecipientId);
        Assert.Equal(Utc(12, 12, 0), e.Timestamp);
        Assert.Equal(new EventContent("\U0001F44D", null, null) { RefersTo = Sent }, e.Content);
        Assert.Equal(KerryInfo, e.UserInfo);
        Assert.Equal($"{Waba}:message_reactions:{WamidReaction}", e.DeduplicationKey); // the reaction's own wamid
        AssertParsed(e, Whole("messages_reaction"));
    }

    // ---- statuses ----------------------------------------------------------------------------

    [Fact]
    public void Parse_StatusSent_BusinessToCustomerKeyedByWamidAndStatus()
    {
        var e = ParseSingle("statuses_sent");

        Assert.Equal(EventTypes.Statuses, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Phone, e.SenderId);
        Assert.Equal(Kerry, e.RecipientId);
        Assert.Equal(Utc(12, 1, 0), e.Timestamp);
        Assert.Equal(new EventContent(null, null, null) { RefersTo = Sent }, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Waba}:statuses:{Sent}:sent", e.DeduplicationKey);
        AssertParsed(e, Whole("statuses_sent"));
    }

    [Fact]
    public void Parse_StatusDelivered_KeyedByWamidAndStatus()
    {
        var e = ParseSingle("statuses_delivered");

        Assert.Equal(EventTypes.Statuses, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Phone, e.SenderId);
        Assert.Equal(Kerry, e.RecipientId);
        Assert.Equal(Utc(12, 1, 2), e.Timestamp);
        Assert.Equal(new EventContent(null, null, null) { RefersTo = Sent }, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Waba}:statuses:{Sent}:delivered", e.DeduplicationKey);
        AssertParsed(e, Whole("statuses_delivered"));
    }

    [Fact]
    public void Parse_StatusRead_KeyedByWamidAndStatus()
    {
        var e = ParseSingle("statuses_read");

        Assert.Equal(EventTypes.Statuses, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Phone, e.SenderId);
        Assert.Equal(Kerry, e.RecipientId);
        Assert.Equal(Utc(12, 1, 40), e.Timestamp);
        Assert.Equal(new EventContent(null, null, null) { RefersTo = Sent }, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Waba}:statuses:{Sent}:read", e.DeduplicationKey);
        AssertParsed(e, Whole("statuses_read"));
    }

    [Fact]
    public void Parse_StatusFailed_ErrorCodeAndTitleAsText()
    {
        var e = ParseSingle("statuses_failed");

        Assert.Equal(EventTypes.Statuses, e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Equal(Phone, e.SenderId);
        Assert.Equal(Kerry, e.RecipientId);
        Assert.Equal(Utc(12, 1, 1), e.Timestamp);
        Assert.Equal(new EventContent("131047: Re-engagement message", null, null) { RefersTo = Sent }, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        Assert.Equal($"{Waba}:statuses:{Sent}:failed", e.DeduplicationKey);
        AssertParsed(e, Whole("statuses_failed"));
    }

    [Fact]
    public void Parse_StatusesOutOfOrder_ThreeEventsInChangeOrderEachNarrowed()
    {
        const string name = "statuses_out_of_order";
        var events = ParseFixture(name);

        Assert.Equal(3, events.Count);

        var read = events[0];
        Assert.Equal(EventTypes.Statuses, read.EventType);
        Assert.Equal(Waba, read.AccountId);
        Assert.Equal(Phone, read.SenderId);
        Assert.Equal(Kerry, read.RecipientId);
        Assert.Equal(Utc(12, 1, 40), read.Timestamp);
        Assert.Equal(new EventContent(null, null, null) { RefersTo = Sent }, read.Content);
        Assert.Equal(UserInfo.Empty, read.UserInfo);
        Assert.Equal($"{Waba}:statuses:{Sent}:read", read.DeduplicationKey);
        AssertNarrowed(read, name, 0, "statuses", 0, null);

        var delivered = events[1];
        Assert.Equal(EventTypes.Statuses, delivered.EventType);
        Assert.Equal(Waba, delivered.AccountId);
        Assert.Equal(Phone, delivered.SenderId);
        Assert.Equal(Kerry, delivered.RecipientId);
        Assert.Equal(Utc(12, 1, 2), delivered.Timestamp);
        Assert.Equal(new EventContent(null, null, null) { RefersTo = Sent }, delivered.Content);
        Assert.Equal(UserInfo.Empty, delivered.UserInfo);
        Assert.Equal($"{Waba}:statuses:{Sent}:delivered", delivered.DeduplicationKey);
        AssertNarrowed(delivered, name, 0, "statuses", 1, null);

        var sent = events[2];
        Assert.Equal(EventTypes.Statuses, sent.EventType);
        Assert.Equal(Waba, sent.AccountId);
        Assert.Equal(Phone, sent.SenderId);
        Assert.Equal(Kerry, sent.RecipientId);
        Assert.Equal(Utc(12, 1, 0), sent.Timestamp);
        Assert.Equal(new EventContent(null, null, null) { RefersTo = Sent }, sent.Content);
        Assert.Equal(UserInfo.Empty, sent.UserInfo);
        Assert.Equal($"{Waba}:statuses:{Sent}:sent", sent.DeduplicationKey);
        AssertNarrowed(sent, name, 0, "statuses", 2, null);

        // Meta's order, not the statuses' timestamps' order: read, delivered, sent.
        Assert.Equal(3, events.Select(e => e.DeduplicationKey).Distinct().Count());
        Assert.Equal(["read", "delivered", "sent"], events.Select(e => e.DeduplicationKey[(e.DeduplicationKey.LastIndexOf(':') + 1)..]));
        AssertStrictlyIncreasing(events);
    }

    [Fact]
    public void Parse_StatusInOutOfOrderBatch_SameKeyAsAlone()
    {
        var batch = ParseFixture("statuses_out_of_order");

        Assert.Equal(ParseSingle("statuses_read").DeduplicationKey, batch[0].DeduplicationKey);
        Assert.Equal(ParseSingle("statuses_delivered").DeduplicationKey, batch[1].DeduplicationKey);
        Assert.Equal(ParseSingle("statuses_sent").DeduplicationKey, batch[2].DeduplicationKey);
    }

    // ---- batches -----------------------------------------------------------------------------

    [Fact]
    public void Parse_BatchOfMessagesAndStatuses_FourNarrowedEventsInOrder()
    {
        const string name = "batch_messages_and_statuses";
        var events = ParseFixture(name);

        Assert.Equal(4, events.Count);

        var a = events[0];
        Assert.Equal(EventTypes.Messages, a.EventType);
        Assert.Equal(Waba, a.AccountId);
        Assert.Equal(Kerry, a.SenderId);
        Assert.Equal(Phone, a.RecipientId);
        Assert.Equal(Utc(12, 17, 0), a.Timestamp); // no entry.time in this delivery
        Assert.Equal(new EventContent("Is the store open on Sunday?", null, null), a.Content);
        Assert.Equal(KerryInfo, a.UserInfo);
        Assert.Equal($"{Waba}:messages:{BatchFromKerry}", a.DeduplicationKey);
        AssertNarrowed(a, name, 0, "messages", 0, Kerry);

        var b = events[1];
        Assert.Equal(EventTypes.Messages, b.EventType);
        Assert.Equal(Waba, b.AccountId);
        Assert.Equal(Ana, b.SenderId);
        Assert.Equal(Phone, b.RecipientId);
        Assert.Equal(Utc(12, 17, 1), b.Timestamp);
        Assert.Equal(new EventContent("Olá! Do you have gift cards?", null, null), b.Content);
        Assert.Equal(new UserInfo(null, "Ana Costa", null), b.UserInfo); // her own contact, not the first one
        Assert.Equal($"{Waba}:messages:{BatchFromAna}", b.DeduplicationKey);
        AssertNarrowed(b, name, 0, "messages", 1, Ana);

        var c = events[2];
        Assert.Equal(EventTypes.Statuses, c.EventType);
        Assert.Equal(Waba, c.AccountId);
        Assert.Equal(Phone, c.SenderId);
        Assert.Equal(Kerry, c.RecipientId);
        Assert.Equal(Utc(12, 17, 5), c.Timestamp);
        Assert.Equal(new EventContent(null, null, null) { RefersTo = BatchToKerry }, c.Content);
        Assert.Equal(UserInfo.Empty, c.UserInfo);
        Assert.Equal($"{Waba}:statuses:{BatchToKerry}:delivered", c.DeduplicationKey);
        AssertNarrowed(c, name, 1, "statuses", 0, null);

        var d = events[3];
        Assert.Equal(EventTypes.Statuses, d.EventType);
        Assert.Equal(Waba, d.AccountId);
        Assert.Equal(Phone, d.SenderId);
        Assert.Equal(Ana, d.RecipientId);
        Assert.Equal(Utc(12, 17, 6), d.Timestamp);
        Assert.Equal(new EventContent(null, null, null) { RefersTo = BatchToAna }, d.Content);
        Assert.Equal(UserInfo.Empty, d.UserInfo);
        Assert.Equal($"{Waba}:statuses:{BatchToAna}:read", d.DeduplicationKey);
        AssertNarrowed(d, name, 1, "statuses", 1, null);

        Assert.Equal(4, events.Select(e => e.DeduplicationKey).Distinct().Count());
    }

    [Fact]
    public void Parse_WhatsAppEnvelopeWithoutUpdates_FailedUnknownEventOfItsPlatform()
    {
        var e = Assert.Single(Parse("{\"object\":\"whatsapp_business_account\",\"entry\":[]}"));

        Assert.Equal((EventTypes.Unknown, ProcessingStatus.Failed, Platforms.WhatsApp), (e.EventType, e.ProcessedStatus, e.Platform));
        Assert.Equal("unparseable: the delivery holds no updates", e.LastError);
    }

    [Fact]
    public void Parse_BatchOfMessagesAndStatuses_EventIdsIncreaseInOrder()
    {
        var events = ParseFixture("batch_messages_and_statuses");

        Assert.Equal(4, events.Count);
        Assert.Equal(4, events.Select(e => e.EventId).Distinct().Count());
        AssertStrictlyIncreasing(events);
    }

    // ---- other fields ------------------------------------------------------------------------

    [Fact]
    public void Parse_TemplateStatusUpdate_OwnTypeWithHashKey()
    {
        var e = ParseSingle("message_template_status_update");

        Assert.Equal("message_template_status_update", e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Null(e.SenderId);
        Assert.Null(e.RecipientId);
        Assert.Equal(Utc(12, 20, 0), e.Timestamp); // entry.time, in seconds
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        AssertHashKey($"{Waba}:message_template_status_update", e.DeduplicationKey);
        Assert.Equal($"{Waba}:message_template_status_update:h:{HashOfValue("message_template_status_update")}", e.DeduplicationKey);
        AssertParsed(e, Whole("message_template_status_update"));
    }

    [Fact]
    public void Parse_AccountUpdate_OwnTypeWithHashKey()
    {
        var e = ParseSingle("account_update");

        Assert.Equal("account_update", e.EventType);
        Assert.Equal(Waba, e.AccountId);
        Assert.Null(e.SenderId);
        Assert.Null(e.RecipientId);
        Assert.Equal(Utc(12, 21, 0), e.Timestamp); // entry.time, in seconds
        Assert.Equal(EventContent.Empty, e.Content);
        Assert.Equal(UserInfo.Empty, e.UserInfo);
        AssertHashKey($"{Waba}:account_update", e.DeduplicationKey);
        Assert.Equal($"{Waba}:account_update:h:{HashOfValue("account_update")}", e.DeduplicationKey);
        AssertParsed(e, Whole("account_update"));
    }

    [Fact]
    public void Fixture_Directory_HoldsEveryScenario()
    {
        string[] expected =
        [
            "account_update", "batch_messages_and_statuses", "message_template_status_update", "messages_audio",
            "messages_button", "messages_contacts", "messages_document", "messages_image",
            "messages_interactive_button_reply", "messages_interactive_list_reply", "messages_location", "messages_order",
            "messages_reaction", "messages_reply_context", "messages_sticker", "messages_system", "messages_text",
            "messages_unsupported", "messages_video", "statuses_delivered", "statuses_failed", "statuses_out_of_order",
            "statuses_read", "statuses_sent",
        ];
        Assert.Equal(expected, Fixture.NamesOf(Fixture.WhatsApp));
    }

    // ---- rules -------------------------------------------------------------------------------

    [Fact]
    public void Parse_SameFixtureTwice_SameKeysNewIds()
    {
        var first = ParseFixture("batch_messages_and_statuses");
        var second = ParseFixture("batch_messages_and_statuses");

        Assert.Equal(first.Select(e => e.DeduplicationKey), second.Select(e => e.DeduplicationKey));
        Assert.Empty(first.Select(e => e.EventId).Intersect(second.Select(e => e.EventId)));
    }

    [Fact]
    public void Parse_EveryFixtureTwice_SameKeys()
    {
        foreach (var name in Fixture.NamesOf(Fixture.WhatsApp))
        {
            var first = ParseFixture(name).Select(e => e.DeduplicationKey);
            var second = ParseFixture(name).Select(e => e.DeduplicationKey);
            Assert.Equal(first, second);
        }
    }

    [Fact]
    public void Parse_FixturesOfDifferentPlatforms_NeverShareAKey()
    {
        string[] platforms = [Fixture.Instagram, Fixture.Messenger, Fixture.WhatsApp];
        var keys = platforms.ToDictionary(
            p => p,
            p => Fixture.NamesOf(p).SelectMany(n => Parse(Fixture.Load(p, n))).Select(e => e.DeduplicationKey).ToHashSet(StringComparer.Ordinal));

        foreach (var platform in platforms) Assert.NotEmpty(keys[platform]);
        for (var i = 0; i < platforms.Length; i++)
            for (var j = i + 1; j < platforms.Length; j++)
                Assert.Empty(keys[platforms[i]].Intersect(keys[platforms[j]], StringComparer.Ordinal));
    }

}
