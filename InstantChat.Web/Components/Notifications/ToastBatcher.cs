using InstantChat.Core.EventModel;

namespace InstantChat.Web.Components.Notifications;

/// <summary>
/// Turns a stream of new events into toasts a person can read: one toast per event while they
/// trickle in, one summary when a burst arrives (at most <see cref="MaxPerWindow"/> single toasts
/// per window), so a flood of 1,000 events/s neither freezes the page nor buries it.
/// </summary>
public sealed class ToastBatcher(TimeProvider clock)
{
    public const int MaxPerWindow = 3;
    static readonly TimeSpan Window = TimeSpan.FromSeconds(2);
    readonly Lock _gate = new();
    DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    int _shown;

    /// <summary>The toast texts to show for these events now (possibly none, one per event, or one summary).</summary>
    public IReadOnlyList<string> Add(IReadOnlyList<WebhookEvent> events)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            if (now - _windowStart > Window) (_windowStart, _shown) = (now, 0);
            var room = Math.Max(0, MaxPerWindow - _shown);
            if (events.Count <= room)
            {
                _shown += events.Count;
                return events.Select(Describe).ToList();
            }
            // Over the budget: one summary instead of the rest.
            _shown = MaxPerWindow + 1;
            return [$"{events.Count} new events ({string.Join(", ", events.GroupBy(e => e.EventType).Select(g => $"{g.Count()} {g.Key}"))})"];
        }
    }

    public static string Describe(WebhookEvent e) =>
        $"New {e.EventType} from {e.UserInfo.Username ?? e.SenderId ?? e.AccountId ?? "Meta"}";
}
