using System.Collections.Concurrent;
using InstantChat.Core.EventModel;
using InstantChat.Core.Notifications;

namespace InstantChat.Core.Outbound;

/// <summary>
/// The last events processed here, with their update's JSON, as the feed announces them: a message
/// is usually sent milliseconds after its event's commit, and reading the event back (a query, the
/// delivery's bytes, a parse) cost most of a send (bench/RESULTS.md, "Forwarding"). Bounded; a miss
/// (an older event, a retry, another host's) reads the store. Nothing is kept while no destination
/// is enabled: a burst without destinations must not grow the process (bench/RESULTS.md: the
/// memory target).
/// </summary>
public sealed class RecentEvents : IDisposable
{
    const int Capacity = 10_000;
    readonly ConcurrentDictionary<string, WebhookEvent> _byId = new(StringComparer.Ordinal);
    readonly ConcurrentQueue<string> _order = new();
    readonly IDisposable _subscription;

    public RecentEvents(IEventFeed feed, DestinationDirectory destinations) => _subscription = feed.Subscribe((_, events) =>
    {
        if (destinations.Enabled.Count == 0) return;
        foreach (var e in events)
        {
            if (e.Payload is null) continue;
            if (_byId.TryAdd(e.EventId, e)) _order.Enqueue(e.EventId);
            else _byId[e.EventId] = e; // a later status of the same event
        }
        while (_order.Count > Capacity && _order.TryDequeue(out var oldest)) _byId.TryRemove(oldest, out var _);
    });

    public WebhookEvent? Find(string eventId) => _byId.GetValueOrDefault(eventId);

    public void Dispose() => _subscription.Dispose();
}
