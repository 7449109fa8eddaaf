using System.Text.Json;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Parsing;

/// <summary>One <c>changes[]</c> item: <c>{ "field": ..., "value": {...} }</c>.</summary>
static class ChangeParser
{
    public static WebhookEvent Parse(JsonElement change, EntryContext ctx)
    {
        var field = change.Str("field");
        var type = EventTypes.IsWellFormed(field) ? field! : "unknown_change";
        if (change.Prop("value") is not { ValueKind: JsonValueKind.Object } value)
            return ctx.Create(type, change, ctx.Key(type, change));

        if (MessagingParser.Fields.Contains(type))
            return MessagingParser.Parse(value, change, ctx, type);

        var timestamp = value.Prop("timestamp").Time();
        switch (type)
        {
            case EventTypes.Comments or EventTypes.LiveComments:
            {
                var from = value.Prop("from");
                var media = value.Prop("media");
                var id = value.Str("id") ?? value.Str("comment_id");
                var content = new EventContent(value.Str("text"), null, media.Prop("media_product_type").Str());
                var user = new UserInfo(from.Prop("username").Str(), null, null);
                return ctx.Create(type, change, ctx.Key(type, value, id), from.Prop("id").Str(), ctx.AccountId, timestamp, content, user);
            }
            case EventTypes.Feed:
            {
                // Messenger: a Page's posts and comments. One add or remove per item; edits differ by their content.
                var from = value.Prop("from");
                var item = value.Str("item");
                var verb = value.Str("verb");
                var id = value.Str("comment_id") ?? value.Str("post_id");
                // Everyone's like or reaction on one post is its own update: the person and the time are part of it.
                var key = verb is "add" or "remove"
                    ? ctx.Key(type, value, item, id, verb, from.Prop("id").Str(), value.Prop("created_time").Str())
                    : ctx.Key(type, value);
                var content = new EventContent(value.Str("message"), value.Str("photo") ?? value.Str("video"), item)
                {
                    RefersTo = value.Str("parent_id"),
                };
                return ctx.Create(type, change, key, from.Prop("id").Str(), ctx.AccountId, value.Prop("created_time").Time(), content,
                    new UserInfo(null, from.Prop("name").Str(), null));
            }
            case EventTypes.Mentions:
            {
                var mediaId = value.Str("media_id");
                // A mention in a caption has no comment: the media id alone names it.
                var key = ctx.Key(type, value, mediaId, value.Str("comment_id") ?? "-");
                return ctx.Create(type, change, key, recipientId: ctx.AccountId, timestamp: timestamp);
            }
            default:
            {
                var sender = value.Prop("from").Prop("id").Str() ?? value.Prop("sender").Prop("id").Str();
                return ctx.Create(type, change, ctx.Key(type, value), sender, timestamp: timestamp,
                    content: new EventContent(value.Str("text"), null, null));
            }
        }
    }
}
