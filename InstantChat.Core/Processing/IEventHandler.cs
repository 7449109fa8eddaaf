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
    IReadOnlyCollection<string> EventTypes { get; }
    BusinessWrite Plan(WebhookEvent webhookEvent, JsonElement update);
}

/// <summary>Which handler takes an event type; a type nobody handles ends <c>skipped</c>.</summary>
public sealed class HandlerRegistry
{
    readonly Dictionary<string, IEventHandler> _byType;

    public HandlerRegistry(IEnumerable<IEventHandler> handlers) =>
        _byType = handlers.SelectMany(h => h.EventTypes.Select(t => (t, h))).ToDictionary(x => x.t, x => x.h, StringComparer.Ordinal);

    public IEventHandler? For(string eventType) => _byType.GetValueOrDefault(eventType);
}
