using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InstantChat.Core.Simulation;

/// <summary>
/// The envelope Meta wraps updates in (<c>object: instagram</c>, or <c>page</c> and
/// <c>whatsapp_business_account</c>, which share it). Public so the reliability harness builds its
/// deliveries (and regroups acknowledged updates) exactly as the simulator does.
/// </summary>
public static class InstagramEnvelope
{
    /// <summary>
    /// One entry per account and array, in order of first appearance, as Meta batches an app's
    /// updates; each item is added to the result, so it must not belong to another node.
    /// </summary>
    /// <param name="nowMs">The entries' <c>time</c>: messaging entries carry milliseconds, changes entries seconds (as in the fixtures).</param>
    /// <param name="encoder">How strings are escaped; null: System.Text.Json's default (everything non-ASCII as <c>\u</c>).</param>
    /// <param name="object">The envelope's <c>object</c>: which Meta product the updates come from.</param>
    public static byte[] Serialize(IEnumerable<(string AccountId, string Array, JsonNode Item)> updates, long nowMs, JavaScriptEncoder? encoder = null,
        string @object = "instagram")
    {
        ArgumentNullException.ThrowIfNull(updates);
        var entries = new JsonArray();
        foreach (var group in updates.GroupBy(u => (u.AccountId, u.Array)))
        {
            var items = new JsonArray();
            foreach (var update in group) items.Add(update.Item);
            entries.Add(new JsonObject
            {
                ["id"] = group.Key.AccountId,
                ["time"] = group.Key.Array == "messaging" ? nowMs : nowMs / 1_000,
                [group.Key.Array] = items,
            });
        }
        var root = new JsonObject { ["object"] = @object, ["entry"] = entries };
        var buffer = new ArrayBufferWriter<byte>(1_024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = encoder })) root.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }
}
