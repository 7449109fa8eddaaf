using InstantChat.Core.Notifications;
using InstantChat.Core.EventModel;

namespace InstantChat.Web.Components.Notifications;

/// <summary>
/// What a page hears from the event feed, coalesced: at most one callback per interval, carrying
/// everything that changed since the last one (the latest state of each event, capped). A flood of
/// 1,000 events/s becomes one re-render per interval instead of 1,000.
/// </summary>
public sealed class LiveUpdates : IDisposable
{
    public const int MaxBuffered = 500;
    readonly Lock _gate = new();
    readonly Func<LiveBatch, Task> _onBatch;
    readonly TimeProvider _clock;
    readonly TimeSpan _interval;
    readonly IDisposable _subscription;
    readonly Dictionary<string, (EventChange Change, WebhookEvent Event)> _pending = new(StringComparer.Ordinal);
    int _received;
    int _dropped;
    ITimer? _timer;
    bool _disposed;

    /// <param name="onBatch">Called on a timer thread; components marshal with InvokeAsync.</param>
    public LiveUpdates(IEventFeed feed, TimeProvider clock, TimeSpan interval, Func<LiveBatch, Task> onBatch)
    {
        (_clock, _interval, _onBatch) = (clock, interval, onBatch);
        _subscription = feed.Subscribe(OnFeed);
    }

    void OnFeed(EventChange change, IReadOnlyList<WebhookEvent> events)
    {
        lock (_gate)
        {
            if (_disposed) return;
            foreach (var e in events)
            {
                if (change == EventChange.Received) _received++;
                // A received event later updated in the same window is still "received", with its latest state.
                var kind = _pending.TryGetValue(e.EventId, out var was) && was.Change == EventChange.Received ? EventChange.Received : change;
                if (_pending.Count < MaxBuffered || _pending.ContainsKey(e.EventId)) _pending[e.EventId] = (kind, e);
                else _dropped++;
            }
            _timer ??= _clock.CreateTimer(_ => Flush(), null, _interval, Timeout.InfiniteTimeSpan);
        }
    }

    void Flush()
    {
        LiveBatch batch;
        lock (_gate)
        {
            _timer?.Dispose();
            _timer = null;
            if (_disposed || (_pending.Count == 0 && _dropped == 0)) return;
            var items = _pending.Values.OrderBy(p => p.Event.EventId, StringComparer.Ordinal).ToList();
            batch = new LiveBatch(
                items.Where(p => p.Change == EventChange.Received).Select(p => p.Event).ToList(),
                items.Where(p => p.Change == EventChange.Updated).Select(p => p.Event).ToList(),
                _received, _dropped);
            _pending.Clear();
            (_received, _dropped) = (0, 0);
        }
        _ = _onBatch(batch);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _timer?.Dispose();
        }
        _subscription.Dispose();
    }
}

/// <param name="Received">New events (oldest first), each in its latest state.</param>
/// <param name="Updated">Events that changed state (oldest first).</param>
/// <param name="ReceivedCount">How many new events arrived in the window, including ones over the cap.</param>
/// <param name="Dropped">Changes over the cap that were not kept (the page should reload instead).</param>
public sealed record LiveBatch(IReadOnlyList<WebhookEvent> Received, IReadOnlyList<WebhookEvent> Updated, int ReceivedCount, int Dropped);
