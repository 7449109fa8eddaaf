using System.Text.Json;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Parsing;

/// <summary>One <c>messaging[]</c> item (or the <c>value</c> of a messaging-type change).</summary>
static class MessagingParser
{
    static readonly HashSet<string> Envelope = ["sender", "recipient", "timestamp"];

    /// <summary>Fields whose change <c>value</c> has the shape of a messaging item (Meta's dashboard test).</summary>
    public static readonly HashSet<string> Fields =
    [
        EventTypes.Messages, EventTypes.MessageReactions, EventTypes.MessagingPostbacks,
        EventTypes.MessagingReferral, EventTypes.MessagingSeen, "message_edit", "messaging_optins", "messaging_handover",
    ];

    /// <param name="item">The messaging object (sender, recipient, timestamp, and one kind of content).</param>
    /// <param name="payload">What is stored as the update: the item itself, or the enclosing change.</param>
    /// <param name="field">The change's field when the item came in <c>changes[]</c>.</param>
    public static WebhookEvent Parse(JsonElement item, JsonElement payload, EntryContext ctx, string? field = null)
    {
        if (item.ValueKind != JsonValueKind.Object) return ctx.Unreadable(payload, "a messaging item is not a JSON object");
        var sender = item.Prop("sender").Prop("id").Str();
        var recipient = item.Prop("recipient").Prop("id").Str();
        var timestamp = item.Prop("timestamp").Time();
        var ms = timestamp?.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);

        if (item.Prop("message") is { ValueKind: JsonValueKind.Object } m)
        {
            var type = field ?? EventTypes.Messages;
            var mid = m.Str("mid");
            var key = m.Prop("is_deleted").IsTrue() ? ctx.Key(type, item, mid, "deleted") : ctx.Key(type, item, mid);
            var attachment = m.Prop("attachments") is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() > 0 ? list[0] : (JsonElement?)null;
            var content = new EventContent(m.Str("text"), attachment.Prop("payload").Prop("url").Str(), attachment.Prop("type").Str())
            {
                RefersTo = m.Prop("reply_to").Prop("mid").Str(),
            };
            return ctx.Create(type, payload, key, sender, recipient, timestamp, content);
        }
        if (item.Prop("reaction") is { ValueKind: JsonValueKind.Object } r)
        {
            var type = field ?? EventTypes.MessageReactions;
            var action = r.Str("action") ?? "react";
            var key = ctx.Key(type, item, r.Str("mid"), sender, action, ms);
            return ctx.Create(type, payload, key, sender, recipient, timestamp, new(r.Str("emoji") ?? r.Str("reaction"), null, null) { RefersTo = r.Str("mid") });
        }
        if (item.Prop("postback") is { ValueKind: JsonValueKind.Object } p)
        {
            var type = field ?? EventTypes.MessagingPostbacks;
            return ctx.Create(type, payload, ctx.Key(type, item, p.Str("mid")), sender, recipient, timestamp, new(p.Str("title"), null, null));
        }
        if (item.Prop("read") is { ValueKind: JsonValueKind.Object } read)
        {
            var type = field ?? EventTypes.MessagingSeen;
            var mid = read.Str("mid") ?? read.Str("watermark");
            return ctx.Create(type, payload, ctx.Key(type, item, mid, sender), sender, recipient, timestamp);
        }
        if (item.Prop("delivery") is { ValueKind: JsonValueKind.Object } delivery)
        {
            // Messenger: the person's device has every message up to the watermark.
            var type = field ?? EventTypes.MessageDeliveries;
            // Meta's receipt has no timestamp of its own: its watermark is when it holds from.
            return ctx.Create(type, payload, ctx.Key(type, item, delivery.Str("watermark"), sender), sender, recipient,
                timestamp ?? delivery.Prop("watermark").Time());
        }
        if (item.Prop("referral") is { ValueKind: JsonValueKind.Object } referral)
        {
            var type = field ?? EventTypes.MessagingReferral;
            return ctx.Create(type, payload, ctx.Key(type, item), sender, recipient, timestamp, new(referral.Str("ref"), null, null));
        }

        // Any other messaging kind (message_edit, optins, handover…) keeps its own name.
        var other = field ?? item.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => !Envelope.Contains(n));
        var otherType = EventTypes.IsWellFormed(other) ? other! : "unknown_messaging";
        return ctx.Create(otherType, payload, ctx.Key(otherType, item), sender, recipient, timestamp);
    }
}
