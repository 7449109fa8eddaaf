using InstantChat.Core.EventModel;

namespace InstantChat.Web.Components.Notifications;

/// <summary>One notification per new event, newest first, as the bell panel shows it.</summary>
/// <param name="SenderId">The sender's id, shown on hover beside their name.</param>
public sealed record Notification(string EventId, string EventType, string Text, DateTimeOffset At, bool Read, string? SenderId = null);

/// <summary>
/// The signed-in session's notification history (one per circuit): bounded, with an unread count
/// and mark-all-read. Touched only from the circuit's dispatcher, so it needs no lock.
/// </summary>
public sealed class NotificationCenter
{
    public const int Capacity = 200;
    readonly LinkedList<Notification> _items = new();

    public event Action? Changed;

    public IReadOnlyCollection<Notification> Items => _items;

    public int Unread { get; private set; }

    public void Add(IEnumerable<WebhookEvent> events)
    {
        foreach (var e in events)
        {
            _items.AddFirst(new Notification(e.EventId, e.EventType, LiveToast.Describe(e), e.ReceivedAt, Read: false, e.SenderId));
            Unread++;
            if (_items.Count <= Capacity) continue;
            if (!_items.Last!.Value.Read) Unread--;
            _items.RemoveLast();
        }
        Changed?.Invoke();
    }

    /// <summary>An alert that opened or resolved (its kind is "alert"; it links to the Overview, where open alerts show).</summary>
    public void AddAlert(Core.Outbound.Alert alert)
    {
        _items.AddFirst(new Notification(alert.AlertId, AlertKind, (alert.Open ? "Alert: " : "Resolved: ") + alert.Title, alert.ResolvedAt ?? alert.OpenedAt, Read: false));
        Unread++;
        if (_items.Count > Capacity)
        {
            if (!_items.Last!.Value.Read) Unread--;
            _items.RemoveLast();
        }
        Changed?.Invoke();
    }

    public const string AlertKind = "alert";

    public IEnumerable<Notification> Filter(string? eventType) =>
        string.IsNullOrEmpty(eventType) ? _items : _items.Where(n => n.EventType == eventType);

    public void MarkAllRead()
    {
        for (var node = _items.First; node is not null; node = node.Next)
            if (!node.Value.Read) node.Value = node.Value with { Read = true };
        Unread = 0;
        Changed?.Invoke();
    }
}
