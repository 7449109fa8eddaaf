using System.Text.Json;
using InstantChat.Core.EventModel;

namespace InstantChat.Core.Processing;

/// <summary>
/// The business effect of one event type: from the update as the parser read it (not re-read from
/// text), the <see cref="BusinessWrite"/> to apply. Pure: it writes nothing itself, so the processor
/// can apply the effects of a whole batch in the commit that stores its events. A failure is an
/// exception; the processor turns it into a retry or a final failure.
/// </summary>
public interface IEventHandler
{
    /// <summary>The platforms whose events of <see cref="EventTypes"/> this handler takes.</summary>
    IReadOnlyCollection<string> Platforms { get; }
    IReadOnlyCollection<string> EventTypes { get; }
    /// <summary>The write to apply, or null when the event changes nothing (a post without comments to record).</summary>
    BusinessWrite? Plan(WebhookEvent webhookEvent, JsonElement update);
}

/// <summary>Which handler takes an event of a platform and type; one nobody handles ends <c>skipped</c>.</summary>
public sealed class HandlerRegistry
{
    readonly Dictionary<(string Platform, string Type), IEventHandler> _byType;

    public HandlerRegistry(IEnumerable<IEventHandler> handlers) =>
        _byType = handlers.SelectMany(h => h.Platforms.SelectMany(p => h.EventTypes.Select(t => ((p, t), h)))).ToDictionary(x => x.Item1, x => x.h);

    public IEventHandler? For(string platform, string eventType) => _byType.GetValueOrDefault((platform, eventType));
}
