using InstantChat.Core.Notifications;
using InstantChat.Core.Processing;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Web.Components.Notifications;
using InstantChat.Web.Components.Shared;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace InstantChat.Web.Components.Pages;

/// <summary>
/// The events grid: the API's filters and keyset paging (newest first; a cursor per page, so page
/// 1,000 costs what page 1 does), live rows, a detail drawer, and retries for admins.
/// </summary>
public sealed partial class Events : IDisposable
{
    [Inject] IEventStore Store { get; set; } = default!;
    [Inject] Shared.ParticipantNames Names { get; set; } = default!;
    [Inject] RetryService Retries { get; set; } = default!;
    [Inject] IEventFeed Feed { get; set; } = default!;
    [Inject] TimeProvider Clock { get; set; } = default!;
    [Inject] ISnackbar Snackbar { get; set; } = default!;
    [Inject] IDialogService Dialogs { get; set; } = default!;
    [Inject] ViewerTime Viewer { get; set; } = default!;
    [CascadingParameter] Task<AuthenticationState> Auth { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "eventId")] public string? EventId { get; set; }
    [SupplyParameterFromQuery(Name = "eventType")] public string? InitialType { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? InitialStatus { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? InitialText { get; set; }

    string? _type, _account, _sender, _text, _platform;
    ProcessingStatus? _status;
    DateTime? _from, _to;
    int _pageSize = 50;

    IReadOnlyList<WebhookEvent> _items = [];
    HashSet<WebhookEvent> _selected = [];
    readonly Stack<string?> _cursors = new();
    string? _cursor, _nextCursor, _error, _user, _urlEventId;
    bool _loading = true, _isAdmin, _detailOpen, _tail, _showFilters;
    int _newCount;
    WebhookEvent? _detail;
    LiveUpdates? _live;

    int ActiveFilters => new object?[] { _platform, _type, _status, _account, _sender, _text, _from, _to }.Count(f => f is not null);

    bool HasFilters => _platform is not null || _type is not null || _status is not null || _account is not null || _sender is not null || _text is not null || _from is not null || _to is not null;

    ProcessingStatus BulkStatus => _status is ProcessingStatus.Completed or ProcessingStatus.Skipped ? _status.Value : ProcessingStatus.Failed;

    static bool IsFinished(WebhookEvent e) => e.ProcessedStatus is ProcessingStatus.Completed or ProcessingStatus.Failed or ProcessingStatus.Skipped;

    static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    protected override async Task OnInitializedAsync()
    {
        var user = (await Auth).User;
        (_isAdmin, _user) = (user.IsInRole(Core.Security.Roles.Admin), user.Identity?.Name);
        ApplyUrl();
        await ReloadAsync();
        await OpenFromUrlAsync();
        Viewer.Changed += OnViewerChanged;
        if (RendererInfo.IsInteractive) _live = new LiveUpdates(Feed, Clock, TimeSpan.FromSeconds(1), b => InvokeAsync(() => OnLiveAsync(b)));
    }

    // Back, Forward or a link with other filters reloads; a link to ?eventId=… on this page (a row's
    // type, a toast, the bell) opens that event.
    protected override async Task OnParametersSetAsync()
    {
        if (ApplyUrl()) await ReloadAsync();
        await OpenFromUrlAsync();
    }

    async Task OpenFromUrlAsync()
    {
        // Once per id the URL names: closing the drawer keeps it closed until another link is followed.
        if (EventId is not { Length: > 0 } id || id == _urlEventId) return;
        _urlEventId = id;
        if (await FindAsync(id) is { } e) Open(e);
    }

    async Task OnLiveAsync(LiveBatch batch)
    {
        var updated = (await Names.NameAsync([.. batch.Updated, .. batch.Received])).ToDictionary(e => e.EventId);
        _items = _items.Select(e => updated.GetValueOrDefault(e.EventId) ?? e).ToList();
        _selected = _selected.Select(e => updated.GetValueOrDefault(e.EventId) ?? e).ToHashSet();
        if (_detail is not null && updated.TryGetValue(_detail.EventId, out var fresh)) _detail = fresh;
        if (batch.ReceivedCount > 0)
        {
            // Rows stay still under the cursor (statuses update in place) and a button counts what is
            // new; with live tail on, the first page follows the newest events instead.
            if (_tail && _cursor is null && _selected.Count == 0) { await LoadPageAsync(); await CountAsync(); }
            else _newCount += batch.ReceivedCount;
        }
        StateHasChanged();
    }

    // Until the search has 3 characters (the index's trigram) the list is not narrowed by it.
    EventQuery Query() => new(_type, _status, _account, _sender, TextSearch.IsSearchable(_text) ? _text : null,
        _from is { } f ? new DateTimeOffset(f.Date, TimeSpan.Zero) : null,
        _to is { } t ? new DateTimeOffset(t.Date.AddDays(1).AddTicks(-10_000), TimeSpan.Zero) : null,
        _pageSize, _cursor, _platform);

    async Task SetFilter(Action change)
    {
        // Fields re-send their value on blur: reload only when the query really changed.
        var (before, text) = (Query(), _text);
        change();
        if (Query() == before) return;
        await ReloadAsync();
        PushUrl(replace: _text != text);
    }

    async Task ReloadAsync()
    {
        _cursors.Clear();
        _cursor = null;
        _selected = [];
        await LoadPageAsync();
        await CountAsync();
    }

    Task FirstPageAsync() => ReloadAsync();

    async Task SetTailAsync(bool on)
    {
        _tail = on;
        if (on) await ReloadAsync();
    }

    async Task NextAsync()
    {
        _cursors.Push(_cursor);
        _cursor = _nextCursor;
        await LoadPageAsync();
    }

    async Task PreviousAsync()
    {
        _cursor = _cursors.Count > 0 ? _cursors.Pop() : null;
        await LoadPageAsync();
    }

    async Task LoadPageAsync()
    {
        _loading = true;
        try
        {
            var page = await Store.ListFullPageAsync(Query(), CancellationToken.None);
            (_items, _nextCursor, _error) = (await Names.NameAsync(page.Items), page.NextCursor, null);
            if (_cursor is null) _newCount = 0;
        }
        catch (StoreUnavailableException)
        {
            _error = "The store is unavailable, so events could not be loaded.";
        }
        finally
        {
            _loading = false;
        }
    }

    async Task<WebhookEvent?> FindAsync(string eventId)
    {
        try { return await Store.FindAsync(eventId, CancellationToken.None); }
        catch (StoreUnavailableException) { return null; }
    }

    void Open(WebhookEvent e) => (_detail, _detailOpen) = (e, true);

    void OnKeyDown(Microsoft.AspNetCore.Components.Web.KeyboardEventArgs e)
    {
        if (e.Key == "Escape") _detailOpen = false;
    }

    async Task OpenAsync(WebhookEvent e) => Open(await FindAsync(e.EventId) ?? e);

    void OnViewerChanged() => _ = InvokeAsync(StateHasChanged);

    public void Dispose()
    {
        _live?.Dispose();
        Viewer.Changed -= OnViewerChanged;
    }
}
