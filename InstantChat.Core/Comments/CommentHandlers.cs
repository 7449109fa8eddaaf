using System.Text.Json;
using InstantChat.Core.Parsing;
using InstantChat.Core.Processing;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Comments;

/// <summary>
/// Comments and live comments per media with their parents, and mentions; a Facebook Page's
/// comments (Messenger's <c>feed</c>) join them, per post.
/// </summary>
public sealed class CommentHandlers : IEventHandler
{
    public IReadOnlyCollection<string> Platforms { get; } = [EventModel.Platforms.Instagram, EventModel.Platforms.Messenger];

    public IReadOnlyCollection<string> EventTypes { get; } =
        [EventModel.EventTypes.Comments, EventModel.EventTypes.LiveComments, EventModel.EventTypes.Mentions, EventModel.EventTypes.Feed];

    public BusinessWrite? Plan(WebhookEvent e, JsonElement update)
    {
        var value = update.Prop("value") ?? throw new InvalidDataException("the change has no value");
        var account = e.AccountId ?? throw new InvalidDataException("the event has no account id");
        if (e.EventType == EventModel.EventTypes.Feed) return FeedComment(e, value, account);
        return e.EventType == EventModel.EventTypes.Mentions
            ? new CommentRecord(e.EventType, account, value.Str("media_id") ?? "", value.Str("comment_id") ?? "",
                null, null, null, null, null, e.Timestamp, e.EventId)
            : new CommentRecord(e.EventType, account, value.Prop("media").Prop("id").Str() ?? "",
                value.Str("id") ?? value.Str("comment_id") ?? throw new InvalidDataException("the comment has no id"),
                value.Str("parent_id"), value.Prop("media").Prop("media_product_type").Str(),
                e.SenderId, e.UserInfo.Username, e.Content.Text, e.Timestamp, e.EventId);
    }

    /// <summary>
    /// A comment added to (or edited on) a Page's post, as a comment on that post; a reply keeps its
    /// parent comment. Posts, likes and removals change no comment row: the event is the record.
    /// </summary>
    static CommentRecord? FeedComment(WebhookEvent e, JsonElement value, string account)
    {
        if (value.Str("item") != "comment" || value.Str("verb") is not ("add" or "edited")) return null;
        var post = value.Str("post_id") ?? throw new InvalidDataException("the feed comment has no post_id");
        var parent = value.Str("parent_id");
        return new CommentRecord(EventModel.EventTypes.Comments, account, post,
            value.Str("comment_id") ?? throw new InvalidDataException("the feed comment has no comment_id"),
            parent == post ? null : parent, "facebook_post", e.SenderId, e.UserInfo.FullName, e.Content.Text, e.Timestamp, e.EventId);
    }
}
