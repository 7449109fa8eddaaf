using InstantChat.Core.Notifications;
using InstantChat.Web.Components.Notifications;
using Microsoft.AspNetCore.Components;
using MudBlazor;

namespace InstantChat.Web.Components.Layout;

/// <summary>The shell: navigation, theme, signed-in user, and a toast for new events (batched).</summary>
public sealed partial class MainLayout : IDisposable
{
    [Inject] IEventFeed Feed { get; set; } = default!;
    [Inject] ISnackbar Snackbar { get; set; } = default!;
    [Inject] TimeProvider Clock { get; set; } = default!;

    bool _drawerOpen = true;
    bool _dark;
    IDisposable? _subscription;
    ToastBatcher? _toasts;

    protected override void OnInitialized()
    {
        _toasts = new ToastBatcher(Clock);
        _subscription = Feed.Subscribe((change, events) =>
        {
            if (change != EventChange.Received) return;
            var texts = _toasts.Add(events);
            if (texts.Count == 0) return;
            // The feed calls from the committing thread: hand over to the circuit's dispatcher.
            _ = InvokeAsync(() =>
            {
                foreach (var text in texts) Snackbar.Add(text, Severity.Info);
            });
        });
    }

    public void Dispose() => _subscription?.Dispose();
}
