using InstantChat.Core.Notifications;
using InstantChat.Web.Components.Notifications;
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using MudBlazor;

namespace InstantChat.Web.Components.Layout;

/// <summary>The shell: navigation, theme, signed-in user, the notification bell, and toasts for new events.</summary>
public sealed partial class MainLayout : IDisposable
{
    /// <summary>Toasts and the bell follow the feed at most this often (a burst becomes one update).</summary>
    public static readonly TimeSpan LiveInterval = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// MudBlazor's palette with status colours dark enough for text on white (WCAG AA, 4.5:1): the
    /// outlined status chips and buttons use them as text (axe checks every page in the browser suite).
    /// </summary>
    static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight
        {
            Success = "#2e7d32",
            Error = "#c62828",
            Warning = "#9a5b00",
            Info = "#1565c0",
            TextSecondary = "rgba(0,0,0,0.68)",
        },
    };

    [Inject] IEventFeed Feed { get; set; } = default!;
    [Inject] Core.Outbound.AlertFeed Alerts { get; set; } = default!;
    [Inject] ISnackbar Snackbar { get; set; } = default!;
    [Inject] TimeProvider Clock { get; set; } = default!;
    [Inject] NotificationCenter Notifications { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;
    [Inject] IJSRuntime JS { get; set; } = default!;
    [Inject] Shared.ViewerTime Viewer { get; set; } = default!;
    [Inject] Shared.ParticipantNames Names { get; set; } = default!;

    /// <summary>The browser remembers the choice (localStorage), so a reload keeps it.</summary>
    const string DarkKey = "instantchat.dark";

    bool _drawerOpen = true;
    bool _notificationsOpen;
    bool _dark;
    LiveUpdates? _live;
    readonly LiveToast _toast = new();
    Snackbar? _shown;

    protected override void OnInitialized()
    {
        // Only the interactive circuit listens; the prerender pass is thrown away.
        if (!RendererInfo.IsInteractive) return;
        _live = new LiveUpdates(Feed, Clock, LiveInterval, batch => InvokeAsync(async () =>
        {
            if (batch.Received.Count == 0) return;
            var received = await NamedAsync(batch.Received); // people, not ids
            Notifications.Add(received);
            Toast(received);
            StateHasChanged();
        }));
        Notifications.Changed += OnNotificationsChanged;
        Alerts.Changed += OnAlert;
    }

    void OnAlert(Core.Outbound.Alert alert) => _ = InvokeAsync(() =>
    {
        Notifications.AddAlert(alert);
        StateHasChanged();
    });

    /// <summary>Names are a nicety: whatever goes wrong reading them, the events are still notified, as ids.</summary>
    async Task<IReadOnlyList<Core.EventModel.WebhookEvent>> NamedAsync(IReadOnlyList<Core.EventModel.WebhookEvent> events)
    {
        try
        {
            return await Names.NameAsync(events);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return events;
        }
    }

    /// <summary>One toast at most, updated in place while it shows; a new one only once it has gone.</summary>
    void Toast(IReadOnlyList<Core.EventModel.WebhookEvent> received)
    {
        var showing = _shown is not null && Snackbar.ShownSnackbars.Contains(_shown);
        _toast.Add(received, fresh: !showing);
        if (showing) return;
        _shown = Snackbar.Add<LiveToastMessage>(new() { [nameof(LiveToastMessage.State)] = _toast }, Severity.Info, options =>
        {
            options.OnClick = _ =>
            {
                Navigation.NavigateTo(_toast.Href);
                return Task.CompletedTask;
            };
            options.ShowCloseIcon = true;
            options.VisibleStateDuration = 4_000;
            options.SnackbarTypeClass = "live-toast cursor-pointer";
        });
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender || !RendererInfo.IsInteractive) return;
        Viewer.Set(TimeSpan.FromMinutes(await JS.InvokeAsync<int>("instantChat.utcOffsetMinutes")));
        if (await JS.InvokeAsync<string?>("localStorage.getItem", DarkKey) == "1")
        {
            _dark = true;
            StateHasChanged();
        }
    }

    void OnKeyDown(Microsoft.AspNetCore.Components.Web.KeyboardEventArgs e)
    {
        if (e.Key == "Escape") _notificationsOpen = false;
    }

    async Task ToggleDarkAsync()
    {
        _dark = !_dark;
        await JS.InvokeVoidAsync("localStorage.setItem", DarkKey, _dark ? "1" : "0");
    }

    void OnNotificationsChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        _live?.Dispose();
        Notifications.Changed -= OnNotificationsChanged;
        Alerts.Changed -= OnAlert;
    }
}
