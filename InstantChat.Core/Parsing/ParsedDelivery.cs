using System.Text.Json;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Parsing;

/// <summary>
/// A delivery's events, each with the update it was made from (null for a body that did not parse),
/// over the one parse of the body. The updates are valid until this is disposed.
/// </summary>
public sealed class ParsedDelivery(JsonDocument? document) : IDisposable
{
    readonly List<WebhookEvent> _events = [];
    readonly List<JsonElement?> _updates = [];
    List<JsonDocument>? _owned;

    public IReadOnlyList<WebhookEvent> Events => _events;
    public IReadOnlyList<JsonElement?> Updates => _updates;

    internal void Add(WebhookEvent e, JsonElement? update)
    {
        _events.Add(e);
        _updates.Add(update);
    }

    /// <summary>An update made for one event (a WhatsApp change narrowed to one message), kept as long as the rest.</summary>
    internal JsonElement Own(JsonDocument update)
    {
        (_owned ??= []).Add(update);
        return update.RootElement;
    }

    public void Dispose()
    {
        document?.Dispose();
        if (_owned is not null) foreach (var d in _owned) d.Dispose();
    }
}
