using InstantChat.Core.Comments;
using InstantChat.Core.Conversations;
using InstantChat.Core.EventModel;
using InstantChat.Core.Processing;
using InstantChat.Core.Storage;
using InstantChat.Tests.Parsing;

namespace InstantChat.Tests.Storage;

/// <summary>Messenger and WhatsApp deliveries through the processor's commit: events, threads, statuses, comments and stats.</summary>
public abstract partial class StoreContract
{
    const string Waba = "102290129340398";
    const string Phone = "106540352242922";
    const string Kerry = "16505551234";
    const string Page = "106000000000001";
    const string Psid = "5500000000000001";
    const string SentWamid = "wamid.HBgLMTY1MDU1NTEyMzQVAgARGBI5QTNDQTVCM0Q0Q0Q2RTY3RTcA";
    static readonly string KerryThread = ConversationIds.For(Phone, Kerry);
    static readonly string PsidThread = ConversationIds.For(Page, Psid);

    static readonly HandlerRegistry AllHandlers = new([new ConversationHandlers(), new CommentHandlers(), new WhatsAppHandlers()]);

    /// <summary>A fixture committed as the processor commits it: each event with the write its handler plans.</summary>
    async Task CommitFixtureAsync(string platform, string name)
    {
        var body = Fixture.Load(platform, name);
        var id = EventIds.New(T0);
        using var parsed = _parser.ParseDelivery(body, id, T0);
        var writes = parsed.Events.Select((e, i) => AllHandlers.For(e.Platform, e.EventType) is { } h && parsed.Updates[i] is { } u ? h.Plan(e, u) : null).ToList();
        await Ingest.CommitAsync([new IngestBatch(new Delivery(id, T0, "application/json", body), parsed.Events.ToList(), writes)], CancellationToken.None);
    }

    [Fact]
    public async Task Platforms_WhatsAppStatusesOutOfOrder_MessageEndsReadNeverBack()
    {
        await CommitFixtureAsync(Fixture.WhatsApp, "statuses_read");
        await CommitFixtureAsync(Fixture.WhatsApp, "statuses_out_of_order"); // read, delivered, sent in one change
        await CommitFixtureAsync(Fixture.WhatsApp, "statuses_sent");

        var m = Assert.Single(await Conversations.MessagesAsync(KerryThread, default));
        Assert.Equal((SentWamid, true, "read", true, (DeliveryError?)null), (m.Mid, m.FromBusiness, m.DeliveryStatus, m.Seen, m.DeliveryError));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1764331300), m.Timestamp); // the first status stored gives the row its time
        var c = await Conversations.FindAsync(KerryThread, default);
        Assert.Equal((Phone, Kerry, 0, Platforms.WhatsApp), (c!.AccountId, c.ParticipantId, c.MessageCount, c.Platform));
    }

    [Fact]
    public async Task Platforms_WhatsAppFailedStatus_ShowsMetasErrorInTheThread()
    {
        await CommitFixtureAsync(Fixture.WhatsApp, "statuses_sent");
        await CommitFixtureAsync(Fixture.WhatsApp, "statuses_failed");
        await CommitFixtureAsync(Fixture.WhatsApp, "statuses_sent"); // Meta's retry of the earlier status changes nothing

        var m = Assert.Single(await Conversations.MessagesAsync(KerryThread, default));
        Assert.Equal("failed", m.DeliveryStatus);
        Assert.Equal("131047", m.DeliveryError!.Code);
        Assert.Equal("Re-engagement message", m.DeliveryError.Title);
        Assert.StartsWith("Message failed to send because more than 24 hours", m.DeliveryError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Platforms_WhatsAppMessagesAndReaction_ThreadOfThePhoneNumberAndTheContact()
    {
        await CommitFixtureAsync(Fixture.WhatsApp, "statuses_sent");
        await CommitFixtureAsync(Fixture.WhatsApp, "messages_text");
        await CommitFixtureAsync(Fixture.WhatsApp, "messages_reaction"); // 👍 on the business's message
        await CommitFixtureAsync(Fixture.WhatsApp, "messages_image");

        var c = await Conversations.FindAsync(KerryThread, default);
        Assert.Equal((Phone, Kerry, 2, "This one, in blue"), (c!.AccountId, c.ParticipantId, c.MessageCount, c.LastMessageText));
        var thread = await Conversations.MessagesAsync(KerryThread, default);
        // In timestamp order: the customer wrote (…199), the business answered through the API (sent …260), then the image.
        Assert.Equal(["wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQUY1Q0U0RkEyQkQ2MTdGMzAwRQA=", SentWamid, "wamid.HBgLMTY1MDU1NTEyMzQVAgASGBQzQTBFNzYyOTI3OTQ4ODhENEYxRgA="],
            thread.Select(m => m.Mid));
        Assert.Equal("👍", Assert.Single(thread[1].Reactions).Emoji);
        Assert.Equal(("sent", true), (thread[1].DeliveryStatus, thread[1].FromBusiness));
        Assert.Equal("Hi! Do you have the blue jacket in size M?", thread[0].Text);
        Assert.Equal(("image", false), (Assert.Single(thread[2].Attachments).Type, thread[2].FromBusiness));
    }

    [Fact]
    public async Task Platforms_MessengerReadWatermark_MarksEveryEarlierMessageSeen()
    {
        await CommitFixtureAsync(Fixture.Messenger, "messages_text");
        await CommitFixtureAsync(Fixture.Messenger, "messages_echo");
        await CommitFixtureAsync(Fixture.Messenger, "messages_quick_reply"); // after the watermark
        await CommitFixtureAsync(Fixture.Messenger, "message_deliveries");
        await CommitFixtureAsync(Fixture.Messenger, "messaging_seen");

        var thread = (await Conversations.MessagesAsync(PsidThread, default)).ToList();
        Assert.Equal(3, thread.Count);
        Assert.Equal([true, true, false], thread.Select(m => m.Seen));
        Assert.Equal([null, "read", null], thread.Select(m => m.DeliveryStatus));
        Assert.True(thread[1].FromBusiness);
        var c = await Conversations.FindAsync(PsidThread, default);
        Assert.Equal((Page, Psid, 3, Platforms.Messenger), (c!.AccountId, c.ParticipantId, c.MessageCount, c.Platform));
    }

    [Fact]
    public async Task Platforms_MessengerDeliveryWatermarkAlone_BusinessMessageDeliveredNotSeen()
    {
        await CommitFixtureAsync(Fixture.Messenger, "message_deliveries");
        await CommitFixtureAsync(Fixture.Messenger, "messages_echo"); // the receipt came first

        var m = Assert.Single(await Conversations.MessagesAsync(PsidThread, default));
        Assert.Equal(("delivered", false), (m.DeliveryStatus, m.Seen));
        Assert.Equal(Platforms.Messenger, (await Conversations.FindAsync(PsidThread, default))!.Platform); // the receipt opened the thread
    }

    [Fact]
    public async Task Platforms_FeedComments_JoinTheCommentsOfThePage()
    {
        await CommitFixtureAsync(Fixture.Messenger, "feed_post_add");
        await CommitFixtureAsync(Fixture.Messenger, "feed_comment_add");
        await CommitFixtureAsync(Fixture.Messenger, "feed_comment_reply");

        var comments = await Comments.ListAsync(Page, "106000000000001_800000000000001", 50, default);
        Assert.Equal(["800000000000001_900000000000002", "800000000000001_900000000000001"], comments.Select(c => c.CommentId));
        Assert.Equal(("800000000000001_900000000000001", "Maria Silva", "5500000000000003"), (comments[0].ParentId, comments[0].Username, comments[0].FromId));
        Assert.Null(comments[1].ParentId); // on the post itself
        Assert.Equal("Do you ship to Porto?", comments[1].Text);
    }

    [Fact]
    public async Task Platforms_EventsOfThreePlatforms_FilteredCountedAndReadBackWhole()
    {
        await CommitAsync(Fixture.Load(Fixture.Instagram, "messages_text"));
        await CommitFixtureAsync(Fixture.Messenger, "messages_text");
        await CommitFixtureAsync(Fixture.WhatsApp, "messages_location");
        await CommitFixtureAsync(Fixture.WhatsApp, "batch_messages_and_statuses");

        Assert.Equal([Platforms.Instagram], (await AllAsync(new EventQuery(Platform: Platforms.Instagram))).Select(e => e.Platform));
        Assert.Equal([Platforms.Messenger], (await AllAsync(new EventQuery(Platform: Platforms.Messenger))).Select(e => e.Platform));
        var whatsapp = await AllAsync(new EventQuery(Platform: Platforms.WhatsApp));
        Assert.Equal(5, whatsapp.Count);
        Assert.Equal(2, (await AllAsync(new EventQuery(Platform: Platforms.WhatsApp, EventType: EventTypes.Statuses))).Count);
        var location = whatsapp.Single(e => e.Content.Location is not null);
        Assert.Equal(location, await Events.FindAsync(location.EventId, default));
        Assert.Equal(new Location(38.7075, -9.1364, "Praça do Comércio", location.Content.Location!.Address), location.Content.Location);
        Assert.Equal(Waba, location.AccountId);

        var counters = (await Stats.ReadAsync(["platform"], default)).ToDictionary(c => c.Key, c => c.Value);
        Assert.Equal(new Dictionary<string, double> { [Platforms.Instagram] = 1, [Platforms.Messenger] = 1, [Platforms.WhatsApp] = 5 }, counters);
    }

    [Fact]
    public async Task Platforms_BulkRetryByPlatform_RequeuesOnlyThatPlatformsFinishedEvents()
    {
        await CommitAsync(Fixture.Load(Fixture.Instagram, "messages_text"));
        await CommitAsync(Fixture.Load(Fixture.WhatsApp, "batch_messages_and_statuses"));
        var now = T0.AddMinutes(1);
        var claimed = await Queue.ClaimAsync(100, now, Lease, "a", CancellationToken.None);
        Assert.Equal(5, claimed.Count);
        await Queue.CompleteAsync(claimed.Select(e => Done(e, now, ProcessingStatus.Failed, "boom")).ToList(), "a", CancellationToken.None);

        var filter = new RequeueFilter(ProcessingStatus.Failed, null, null, null, Platform: Platforms.WhatsApp);
        Assert.Equal(4, await Queue.CountRequeueableAsync(filter, CancellationToken.None));
        Assert.Equal(4, await Queue.RequeueManyAsync(filter, T0.AddMinutes(2), "ops", CancellationToken.None));

        var instagram = Assert.Single(await AllAsync(new EventQuery(Platform: Platforms.Instagram)));
        Assert.Equal(ProcessingStatus.Failed, instagram.ProcessedStatus);
        Assert.All(await AllAsync(new EventQuery(Platform: Platforms.WhatsApp)), e => Assert.Equal(ProcessingStatus.Pending, e.ProcessedStatus));
    }
}
