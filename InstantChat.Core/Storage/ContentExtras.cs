using System.Text.Json;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Storage;

/// <summary>
/// The content fields beyond text and media (media id, location, the message referred to), stored
/// together as one small JSON value, null for the many events that have none.
/// </summary>
public static class ContentExtras
{
    sealed record Extras(string? MediaId, Location? Location, string? RefersTo);

    public static string? Write(EventContent content) =>
        content.HasExtras ? JsonSerializer.Serialize(new Extras(content.MediaId, content.Location, content.RefersTo)) : null;

    public static EventContent Read(EventContent content, string? extras)
    {
        if (extras is null) return content;
        var x = JsonSerializer.Deserialize<Extras>(extras);
        return x is null ? content : content with { MediaId = x.MediaId, Location = x.Location, RefersTo = x.RefersTo };
    }
}
