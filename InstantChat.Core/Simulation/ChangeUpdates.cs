using System.Text.Json.Nodes;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Simulation;

/// <summary>
/// <c>changes[]</c> items in Meta's shapes (Fixtures/Instagram/comments*.json, live_comments.json,
/// mentions_*.json): comments under the businesses' few posts, a live video's chat, and mentions.
/// </summary>
sealed class ChangeUpdates(Random random, Inbox inbox, SimulatedIds ids)
{
    // Recent comments per post, so that some comments are replies in a thread (parent_id).
    readonly Dictionary<string, List<(string Id, string Username)>> _recent = [];

    /// <summary>A comment under a post or reel; sometimes a reply to an earlier one, addressed to its author.</summary>
    public Update Comment()
    {
        var business = inbox.AnyBusiness();
        var post = random.Pick(business.Posts);
        var person = inbox.AnyPerson();
        var id = ids.CommentId();
        var text = random.Pick(person.Language.Comments);
        var recent = _recent.TryGetValue(post.Id, out var list) ? list : _recent[post.Id] = [];
        var value = Value(person, post.Id, post.ProductType, id, text);
        if (recent.Count > 0 && random.Chance(0.25))
        {
            var parent = random.Pick(recent);
            value["parent_id"] = parent.Id;
            value["text"] = $"@{parent.Username} {text}";
        }
        recent.Add((id, person.Username));
        if (recent.Count > 8) recent.RemoveAt(0);
        return Change(business.Id, EventTypes.Comments, value);
    }

    /// <summary>A message in the chat of a business's live video.</summary>
    public Update LiveComment()
    {
        var business = inbox.AnyBusiness();
        var person = inbox.AnyPerson();
        return Change(business.Id, EventTypes.LiveComments,
            Value(person, business.LiveVideoId, "LIVE", ids.CommentId(), random.Pick(person.Language.Cheers)));
    }

    /// <summary>The business is @mentioned in someone's comment or, less often, in a caption (media id alone).</summary>
    public Update Mention()
    {
        var value = new JsonObject { ["media_id"] = ids.MediaId() };
        if (random.Chance(0.7)) value["comment_id"] = ids.CommentId();
        return Change(inbox.AnyBusiness().Id, EventTypes.Mentions, value);
    }

    static JsonObject Value(Person from, string mediaId, string productType, string id, string text) => new()
    {
        ["from"] = new JsonObject { ["id"] = from.Id, ["username"] = from.Username },
        ["media"] = new JsonObject { ["id"] = mediaId, ["media_product_type"] = productType },
        ["id"] = id,
        ["text"] = text,
    };

    static Update Change(string accountId, string field, JsonObject value) =>
        new(accountId, "changes", new JsonObject { ["field"] = field, ["value"] = value });
}
