using System.Text.Json;
using InstantChat.Core.Parsing;
using InstantChat.Core.Processing;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Comments;

/// <summary>Comments and live comments per media with their parents, and mentions.</summary>
public sealed class CommentHandlers : IEventHandler
{
    public IReadOnlyCollection<string> EventTypes { get; } =
        [EventModel.EventTypes.Comments, EventModel.EventTypes.LiveComments, EventModel.EventTypes.Mentions];

    public BusinessWrite Plan(WebhookEvent e, JsonElement update)
    {
        var value = update.Prop("value") ?? throw new InvalidDataException("the change has no value");
        var account = e.AccountId ?? throw new InvalidDataException("the event has no account id");
        return e.EventType == EventModel.EventTypes.Mentions
            ? new CommentRecord(e.EventType, account, value.Str("media_id") ?? "", value.Str("comment_id") ?? "",
                null, null, null, null, null, e.Timestamp, e.EventId)
            : new CommentRecord(e.EventType, account, value.Prop("media").Prop("id").Str() ?? "",
                value.Str("id") ?? value.Str("comment_id") ?? throw new InvalidDataException("the comment has no id"),
                value.Str("parent_id"), value.Prop("media").Prop("media_product_type").Str(),
                e.SenderId, e.UserInfo.Username, e.Content.Text, e.Timestamp, e.EventId);
    }
}
