using System.Text.Json;
using InstantChat.Core.Parsing;
using InstantChat.Core.Processing;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Conversations;

/// <summary>
/// WhatsApp's messages, reactions and statuses become thread state. A thread is a phone number's
/// (the business's number, <c>metadata.phone_number_id</c>) with one person (<c>wa_id</c>). Statuses
/// move the business's messages along sent → delivered → read, or to failed with Meta's error, and
/// never back, whatever order they arrive in (<see cref="DeliveryStatuses"/>).
/// </summary>
public sealed class WhatsAppHandlers : IEventHandler
{
    public IReadOnlyCollection<string> Platforms { get; } = [EventModel.Platforms.WhatsApp];

    public IReadOnlyCollection<string> EventTypes { get; } =
        [EventModel.EventTypes.Messages, EventModel.EventTypes.MessageReactions, EventModel.EventTypes.Statuses];

    public BusinessWrite? Plan(WebhookEvent e, JsonElement update)
    {
        var value = update.Prop("value") ?? throw new InvalidDataException("the change has no value");
        var phone = Required(value.Prop("metadata").Prop("phone_number_id").Str(), "metadata.phone_number_id");
        if (e.EventType == EventModel.EventTypes.Statuses) return Status(e, One(value, "statuses"), phone);
        if (value.Prop("messages") is null) return null; // an errors-only change: the event is the record
        var m = One(value, "messages");
        var from = Required(m.Str("from"), "messages[].from");
        var wamid = Required(m.Str("id"), "messages[].id");
        if (e.EventType == EventModel.EventTypes.MessageReactions)
        {
            var reaction = m.Prop("reaction");
            var emoji = reaction.Prop("emoji").Str();
            // An empty emoji takes the reaction back.
            return new ReactionWrite(phone, Required(reaction.Prop("message_id").Str(), "reaction.message_id"), from,
                string.IsNullOrEmpty(emoji) ? "unreact" : "react", null, string.IsNullOrEmpty(emoji) ? null : emoji, e.Timestamp);
        }
        return new MessageWrite(phone, wamid, ConversationIds.For(phone, from), from, e.Timestamp)
        {
            Platform = EventModel.Platforms.WhatsApp,
            HasContent = true,
            Text = e.Content.Text,
            Attachments = e.Content.MediaId is not null ? [new Attachment(e.Content.MediaType ?? "unknown", null)] : [],
            ReplyToMid = e.Content.RefersTo,
            IsUnsupported = m.Str("type") == "unsupported",
        };
    }

    static MessageWrite Status(WebhookEvent e, JsonElement s, string phone)
    {
        var wamid = Required(s.Str("id"), "statuses[].id");
        var recipient = Required(s.Str("recipient_id"), "statuses[].recipient_id");
        var rank = DeliveryStatuses.Rank(s.Str("status"));
        if (rank == 0) throw new InvalidDataException($"unknown status \"{s.Str("status")}\"");
        var error = s.Prop("errors") is { ValueKind: JsonValueKind.Array } errors && errors.GetArrayLength() > 0 ? errors[0] : (JsonElement?)null;
        return new MessageWrite(phone, wamid, ConversationIds.For(phone, recipient), recipient, e.Timestamp)
        {
            Platform = EventModel.Platforms.WhatsApp,
            FromBusiness = true,
            DeliveryStatus = rank,
            DeliveryError = error is { } x
                ? new DeliveryError(x.Str("code"), x.Str("title"), x.Prop("error_data").Prop("details").Str() ?? x.Str("message"))
                : null,
        };
    }

    /// <summary>The one item of the event's (narrowed) change.</summary>
    static JsonElement One(JsonElement value, string array) =>
        value.Prop(array) is { ValueKind: JsonValueKind.Array } list && list.GetArrayLength() == 1 && list[0].ValueKind == JsonValueKind.Object
            ? list[0]
            : throw new InvalidDataException($"the change holds no single {array} item");

    static string Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw new InvalidDataException($"{field} is missing") : value;
}
