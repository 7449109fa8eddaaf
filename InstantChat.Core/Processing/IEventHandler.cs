using InstantChat.Core.Webhooks;

namespace InstantChat.Core.Processing;

/// <summary>
/// The business effect of one event type. Must be idempotent: after a crash between the effect and
/// the status write the same event is handled again, and nothing may change the second time.
/// A failure is an exception; the worker turns it into a retry or a final failure.
/// </summary>
public interface IEventHandler
{
    IReadOnlyCollection<string> EventTypes { get; }
    Task HandleAsync(WebhookEvent webhookEvent, CancellationToken cancellationToken);
}

/// <summary>Which handler takes an event type; a type nobody handles ends <c>skipped</c>.</summary>
public sealed class HandlerRegistry
{
    readonly Dictionary<string, IEventHandler> _byType;

    public HandlerRegistry(IEnumerable<IEventHandler> handlers) =>
        _byType = handlers.SelectMany(h => h.EventTypes.Select(t => (t, h))).ToDictionary(x => x.t, x => x.h, StringComparer.Ordinal);

    public IEventHandler? For(string eventType) => _byType.GetValueOrDefault(eventType);
}
