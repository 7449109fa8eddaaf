using System.Text.Json;
using InstantChat.Core.Parsing;
using InstantChat.Core.Processing;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Conversations;

/// <summary>
/// Instagram's and Messenger's messages, reactions, read and delivery receipts, postbacks and
/// referrals become thread state. Each turns its event into one commutative upsert, which is what
/// makes them idempotent and order-independent.
/// </summary>
public sealed class ConversationHandlers : IEventHandler
{
    public IReadOnlyCollection<string> Platforms { get; } = [EventModel.Platforms.Instagram, EventModel.Platforms.Messenger];

    public IReadOnlyCollection<string> EventTypes { get; } =
    [
        EventModel.EventTypes.Messages, EventModel.EventTypes.MessageReactions, EventModel.EventTypes.MessagingSeen,
        EventModel.EventTypes.MessagingPostbacks, EventModel.EventTypes.MessagingReferral, EventModel.EventTypes.MessageDeliveries,
    ];

    public BusinessWrite? Plan(WebhookEvent e, JsonElement update) => PlanFor(e, update) switch
    {
        MessageWrite m => m with { Platform = e.Platform },
        WatermarkWrite w => w with { Platform = e.Platform },
        var other => other,
    };

    static BusinessWrite PlanFor(WebhookEvent e, JsonElement update)
    {
        // Messaging items come bare in messaging[], or as the value of a change (Meta's dashboard test).
        var item = update.Prop("field") is not null && update.Prop("value") is { } value ? value : update;
        var account = e.AccountId ?? throw new InvalidDataException("the event has no account id");
        var sender = e.SenderId ?? throw new InvalidDataException("the event has no sender id");

        return e.EventType switch
        {
            EventModel.EventTypes.Messages => Message(e, item, account, sender),
            EventModel.EventTypes.MessageReactions => Reaction(e, item, account, sender),
            // Instagram names the message read; Messenger gives a watermark: everything up to it was read.
            EventModel.EventTypes.MessagingSeen when item.Prop("read").Prop("mid").Str() is null =>
                new WatermarkWrite(account, ConversationIds.For(account, sender), sender, Watermark(item.Prop("read"), "read.watermark"), 0),
            EventModel.EventTypes.MessagingSeen =>
                new MessageWrite(account, Required(item.Prop("read").Prop("mid").Str(), "read.mid"), ConversationIds.For(account, sender), sender, e.Timestamp)
                { SeenMarker = true },
            EventModel.EventTypes.MessageDeliveries =>
                new WatermarkWrite(account, ConversationIds.For(account, sender), sender, 0, Watermark(item.Prop("delivery"), "delivery.watermark")),
            EventModel.EventTypes.MessagingPostbacks => Postback(e, item, account, sender),
            EventModel.EventTypes.MessagingReferral =>
                new MessageWrite(account, $"referral:{StableId(e)}", ConversationIds.For(account, sender), sender, e.Timestamp)
                {
                    HasContent = true,
                    Referral = new Referral(item.Prop("referral").Prop("ref").Str(), item.Prop("referral").Prop("source").Str(), item.Prop("referral").Prop("type").Str()),
                },
            _ => throw new InvalidOperationException($"no conversation rule for {e.EventType}"),
        };
    }

    static MessageWrite Message(WebhookEvent e, JsonElement item, string account, string sender)
    {
        var m = item.Prop("message");
        var echo = m.Prop("is_echo").IsTrue();
        // An echo is the business's own message: the participant is its recipient.
        var participant = echo ? e.RecipientId ?? throw new InvalidDataException("an echo without recipient") : sender;
        var write = new MessageWrite(account, Required(m.Prop("mid").Str(), "message.mid"), ConversationIds.For(account, participant), participant, e.Timestamp);
        if (m.Prop("is_deleted").IsTrue()) return write with { IsDeleted = true };

        var attachments = m.Prop("attachments") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().Select(a => new Attachment(a.Str("type") ?? "unknown", a.Prop("payload").Prop("url").Str())).ToList()
            : [];
        var referral = m.Prop("referral");
        return write with
        {
            HasContent = true,
            FromBusiness = echo,
            Text = m.Prop("text").Str(),
            Attachments = attachments,
            ReplyToMid = m.Prop("reply_to").Prop("mid").Str(),
            IsUnsupported = m.Prop("is_unsupported").IsTrue(),
            Referral = referral is null ? null : new Referral(referral.Prop("ref").Str(), referral.Prop("source").Str(), referral.Prop("type").Str()),
        };
    }

    static ReactionWrite Reaction(WebhookEvent e, JsonElement item, string account, string sender)
    {
        var r = item.Prop("reaction");
        return new ReactionWrite(account, Required(r.Prop("mid").Str(), "reaction.mid"), sender,
            r.Prop("action").Str() == "unreact" ? "unreact" : "react", r.Prop("reaction").Str(), r.Prop("emoji").Str(), e.Timestamp);
    }

    static MessageWrite Postback(WebhookEvent e, JsonElement item, string account, string sender)
    {
        var p = item.Prop("postback");
        return new MessageWrite(account, p.Prop("mid").Str() ?? $"postback:{StableId(e)}", ConversationIds.For(account, sender), sender, e.Timestamp)
        {
            HasContent = true,
            Text = p.Prop("title").Str(),
            Postback = new Postback(p.Prop("title").Str(), p.Prop("payload").Str()),
        };
    }

    /// <summary>
    /// A row id for an update without a mid of its own, the same however often the update is
    /// processed (its deduplication key, not its event id, which a second parse would change).
    /// </summary>
    static string StableId(WebhookEvent e) => Parsing.CanonicalJson.Hash(System.Text.Encoding.UTF8.GetBytes(e.DeduplicationKey));

    static long Watermark(JsonElement? receipt, string field) =>
        receipt.Prop("watermark").Time()?.ToUnixTimeMilliseconds() ?? throw new InvalidDataException($"{field} is missing");

    static string Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw new InvalidDataException($"{field} is missing") : value;
}
