using InstantChat.Core.Notifications;
using InstantChat.Web.Components.Notifications;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace InstantChat.Web.Components.Layout;

/// <summary>The shell: navigation, theme, signed-in user, the notification bell, and toasts for new events.</summary>
public sealed partial class MainLayout : IDisposable
{
    /// <summary>Toasts and the bell follow the feed at most this often (a burst becomes one update).</summary>
    public static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(400);

    [Inject] IEventFeed Feed { get; set; } = default!;
    [Inject] ISnackbar Snackbar { get; set; } = default!;
    [Inject] TimeProvider Clock { get; set; } = default!;
    [Inject] NotificationCenter Notifications { get; set; } = default!;

    bool _drawerOpen = true;
    bool _notificationsOpen;
    bool _dark;
    LiveUpdates? _live;
    ToastBatcher? _toasts;

    protected override void OnInitialized()
    {
        // Only the interactive circuit listens; the prerender pass is thrown away.
        if (!RendererInfo.IsInteractive) return;
        _toasts = new ToastBatcher(Clock);
        _live = new LiveUpdates(Feed, Clock, LiveInterval, batch => InvokeAsync(() =>
        {
            if (batch.Received.Count == 0) return;
            Notifications.Add(batch.Received);
            foreach (var text in _toasts.Add(batch.Received)) Snackbar.Add(text, Severity.Info);
            StateHasChanged();
        }));
        Notifications.Changed += OnNotificationsChanged;
    }

    void OnNotificationsChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        _live?.Dispose();
        Notifications.Changed -= OnNotificationsChanged;
    }
}
