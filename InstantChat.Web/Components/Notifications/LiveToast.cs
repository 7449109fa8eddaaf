using InstantChat.Core.EventModel;

namespace InstantChat.Web.Components.Notifications;

/// <summary>
/// The one live toast: never a queue. While it shows, new events update it in place ("N new events ·
/// latest: messages from ann"); once it has gone, the next event starts a new one. A click opens the
/// event, or the list of what it counts (filtered by type when there is one type).
/// </summary>
public sealed class LiveToast
{
    readonly HashSet<string> _types = new(StringComparer.Ordinal);
    WebhookEvent? _latest;

    public event Action? Changed;

    public int Count { get; private set; }

    /// <summary>The latest event's sender id, shown on hover beside the name the text gives.</summary>
    public string? SenderId => _latest?.SenderId;

    public string Text => _latest is not { } e ? ""
        : Count == 1 ? Describe(e)
        : $"{Count:#,0} new events · latest: {e.EventType} from {Name(e)}";

    /// <summary>Where a click goes: the event itself, or the Events page filtered to what the toast counts.</summary>
    public string Href => _latest is not { } e ? "/events"
        : Count == 1 ? $"/events?eventId={Uri.EscapeDataString(e.EventId)}"
        : _types.Count == 1 ? $"/events?eventType={Uri.EscapeDataString(e.EventType)}"
        : "/events";

    /// <param name="fresh">true when no toast shows any more: counting starts again.</param>
    public void Add(IReadOnlyList<WebhookEvent> events, bool fresh)
    {
        if (events.Count == 0) return;
        if (fresh)
        {
            Count = 0;
            _types.Clear();
        }
        Count += events.Count;
        foreach (var e in events) _types.Add(e.EventType);
        _latest = events[^1];
        Changed?.Invoke();
    }

    public static string Describe(WebhookEvent e) => $"New {e.EventType} from {Name(e)}";

    static string Name(WebhookEvent e) => e.UserInfo.Username ?? e.UserInfo.FullName ?? e.SenderId ?? e.AccountId ?? "Meta";
}
