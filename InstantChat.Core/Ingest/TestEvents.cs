using InstantChat.Core.EventModel;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InstantChat.Core.Ingest;

/// <summary>What an admin asks the test endpoint for.</summary>
public sealed record TestEventRequest(string EventType, string AccountId, string SenderId, string? Text, string? Username);

/// <summary>
/// Builds a genuine Instagram envelope for a test event, so it takes exactly the path of a real
/// delivery: parse, deduplicate (its ids are fresh), commit, queue, process.
/// </summary>
public static class TestEvents
{
    public static byte[] Envelope(TestEventRequest r, DateTimeOffset now)
    {
        var id = $"test_{EventIds.New(now)}";
        var ms = now.ToUnixTimeMilliseconds();
        JsonObject Messaging(string key, JsonObject body) => new()
        {
            ["sender"] = new JsonObject { ["id"] = r.SenderId },
            ["recipient"] = new JsonObject { ["id"] = r.AccountId },
            ["timestamp"] = ms,
            [key] = body,
        };
        JsonObject Change(JsonObject value) => new() { ["field"] = r.EventType, ["value"] = value };
        JsonObject Comment() => new()
        {
            ["from"] = new JsonObject { ["id"] = r.SenderId, ["username"] = r.Username },
            ["media"] = new JsonObject { ["id"] = "test_media", ["media_product_type"] = r.EventType == EventTypes.LiveComments ? "LIVE" : "FEED" },
            ["id"] = id,
            ["text"] = r.Text,
        };

        var (arrayName, update) = r.EventType switch
        {
            EventTypes.Messages => ("messaging", Messaging("message", new() { ["mid"] = id, ["text"] = r.Text })),
            EventTypes.MessageReactions => ("messaging", Messaging("reaction", new() { ["mid"] = id, ["action"] = "react", ["reaction"] = "love", ["emoji"] = r.Text ?? "❤️" })),
            EventTypes.MessagingPostbacks => ("messaging", Messaging("postback", new() { ["mid"] = id, ["title"] = r.Text, ["payload"] = "TEST_PAYLOAD" })),
            EventTypes.MessagingReferral => ("messaging", Messaging("referral", new() { ["ref"] = r.Text ?? id, ["source"] = "TEST", ["type"] = "OPEN_THREAD" })),
            EventTypes.MessagingSeen => ("messaging", Messaging("read", new() { ["mid"] = id })),
            EventTypes.Comments or EventTypes.LiveComments => ("changes", Change(Comment())),
            EventTypes.Mentions => ("changes", Change(new() { ["media_id"] = "test_media", ["comment_id"] = id })),
            _ => throw new ArgumentException($"eventType must be one of {string.Join(", ", EventTypes.Known)}", nameof(r)),
        };
        var root = new JsonObject
        {
            ["object"] = "instagram",
            ["entry"] = new JsonArray(new JsonObject { ["id"] = r.AccountId, ["time"] = ms, [arrayName] = new JsonArray(update) }),
        };
        return JsonSerializer.SerializeToUtf8Bytes(root);
    }
}
