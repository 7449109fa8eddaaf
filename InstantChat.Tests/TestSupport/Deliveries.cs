using System.Text.Encodings.Web;
using System.Text.Json.Nodes;
using InstantChat.Core.Simulation;

namespace InstantChat.Tests.TestSupport;

/// <summary>Builds Instagram envelopes for tests that need many distinct updates.</summary>
public static class Deliveries
{
    public const string Account = "17841400000000001";

    public static JsonObject Message(string mid, string text, string sender = "900000001", long timestampMs = 1_764_000_000_000) => new()
    {
        ["sender"] = new JsonObject { ["id"] = sender },
        ["recipient"] = new JsonObject { ["id"] = Account },
        ["timestamp"] = timestampMs,
        ["message"] = new JsonObject { ["mid"] = mid, ["text"] = text },
    };

    public static byte[] Envelope(params JsonObject[] messaging) => Envelope(Account, messaging);

    /// <summary>A delivery of one comment by <paramref name="fromId"/> (with a username when given), at <paramref name="timeMs"/>.</summary>
    public static byte[] Comment(string commentId, string fromId, string? username, long timeMs = 1_764_000_000_000)
    {
        var from = new JsonObject { ["id"] = fromId };
        if (username is not null) from["username"] = username;
        var change = new JsonObject
        {
            ["field"] = "comments",
            ["value"] = new JsonObject { ["from"] = from, ["id"] = commentId, ["text"] = "nice", ["media"] = new JsonObject { ["id"] = "media1" } },
        };
        return InstagramEnvelope.Serialize([(Account, "changes", change)], timeMs, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
    }

    public static byte[] Envelope(string account, params JsonObject[] messaging) =>
        InstagramEnvelope.Serialize(messaging.Select(m => (account, "messaging", m.DeepClone())), 1_764_000_000_000, JavaScriptEncoder.UnsafeRelaxedJsonEscaping);
}
