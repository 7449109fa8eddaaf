using InstantChat.Core.EventModel;

namespace InstantChat.Core.Notifications;

public enum EventChange { Received, Updated }

/// <summary>
/// News of stored events for pages and the hub, published after each commit. On one host it is
/// in-process; across hosts a store-backed feed joins it.
/// </summary>
public interface IEventFeed
{
    void Publish(EventChange change, IReadOnlyList<WebhookEvent> events);
    IDisposable Subscribe(Action<EventChange, IReadOnlyList<WebhookEvent>> listener);
}

/// <summary>Calls every subscriber synchronously; subscribers must hand work off quickly (Blazor: InvokeAsync).</summary>
public sealed class InProcessEventFeed : IEventFeed
{
    readonly Lock _gate = new();
    ImmutableListeners _listeners = new([]);

    public void Publish(EventChange change, IReadOnlyList<WebhookEvent> events)
    {
        if (events.Count == 0) return;
        foreach (var listener in _listeners.Items)
        {
            try { listener(change, events); } catch { /* one broken page must not stop processing */ }
        }
    }

    public IDisposable Subscribe(Action<EventChange, IReadOnlyList<WebhookEvent>> listener)
    {
        lock (_gate) _listeners = new([.. _listeners.Items, listener]);
        return new Unsubscriber(() => { lock (_gate) _listeners = new([.. _listeners.Items.Where(l => l != listener)]); });
    }

    sealed record ImmutableListeners(Action<EventChange, IReadOnlyList<WebhookEvent>>[] Items);
    sealed class Unsubscriber(Action dispose) : IDisposable { public void Dispose() => dispose(); }
}
