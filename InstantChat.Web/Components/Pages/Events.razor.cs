using InstantChat.Core.Notifications;
using InstantChat.Core.Processing;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Web.Components.Notifications;
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
    [Inject] RetryService Retries { get; set; } = default!;
    [Inject] IEventFeed Feed { get; set; } = default!;
    [Inject] TimeProvider Clock { get; set; } = default!;
    [Inject] ISnackbar Snackbar { get; set; } = default!;
    [Inject] IDialogService Dialogs { get; set; } = default!;
    [CascadingParameter] Task<AuthenticationState> Auth { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "eventId")] public string? EventId { get; set; }
    [SupplyParameterFromQuery(Name = "eventType")] public string? InitialType { get; set; }
    [SupplyParameterFromQuery(Name = "status")] public string? InitialStatus { get; set; }
    [SupplyParameterFromQuery(Name = "q")] public string? InitialText { get; set; }

    string? _type, _account, _sender, _text;
    ProcessingStatus? _status;
    DateTime? _from, _to;
    int _pageSize = 50;

    IReadOnlyList<WebhookEvent> _items = [];
    HashSet<WebhookEvent> _selected = [];
    readonly Stack<string?> _cursors = new();
    string? _cursor, _nextCursor, _error, _user;
    bool _loading = true, _isAdmin, _detailOpen;
    int _newCount;
    DateTimeOffset _now;
    WebhookEvent? _detail;
    LiveUpdates? _live;

    bool HasFilters => _type is not null || _status is not null || _account is not null || _sender is not null || _text is not null || _from is not null || _to is not null;

    ProcessingStatus BulkStatus => _status is ProcessingStatus.Completed or ProcessingStatus.Skipped ? _status.Value : ProcessingStatus.Failed;

    static bool IsFinished(WebhookEvent e) => e.ProcessedStatus is ProcessingStatus.Completed or ProcessingStatus.Failed or ProcessingStatus.Skipped;

    static string? Clean(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    protected override async Task OnInitializedAsync()
    {
        var user = (await Auth).User;
        (_isAdmin, _user) = (user.IsInRole(Core.Security.Roles.Admin), user.Identity?.Name);
        _type = InitialType is { } t && EventTypes.Known.Contains(t) ? t : null;
        _status = ProcessingStatuses.TryParse(InitialStatus ?? "", out var s) ? s : null;
        _text = Clean(InitialText);
        await ReloadAsync();
        if (EventId is { Length: > 0 } id && await FindAsync(id) is { } e) Open(e);
        if (RendererInfo.IsInteractive) _live = new LiveUpdates(Feed, Clock, TimeSpan.FromSeconds(1), b => InvokeAsync(() => OnLiveAsync(b)));
    }

    async Task OnLiveAsync(LiveBatch batch)
    {
        var updated = batch.Updated.Concat(batch.Received).ToDictionary(e => e.EventId);
        _items = _items.Select(e => updated.GetValueOrDefault(e.EventId) ?? e).ToList();
        _selected = _selected.Select(e => updated.GetValueOrDefault(e.EventId) ?? e).ToHashSet();
        if (_detail is not null && updated.TryGetValue(_detail.EventId, out var fresh)) _detail = fresh;
        if (batch.ReceivedCount > 0)
        {
            // The first page follows the newest events; deeper pages stay put and offer a jump.
            if (_cursor is null && _selected.Count == 0) await LoadPageAsync();
            else _newCount += batch.ReceivedCount;
        }
        _now = Clock.GetUtcNow();
        StateHasChanged();
    }

    // Until the search has 3 characters (the index's trigram) the list is not narrowed by it.
    EventQuery Query() => new(_type, _status, _account, _sender, TextSearch.IsSearchable(_text) ? _text : null,
        _from is { } f ? new DateTimeOffset(f.Date, TimeSpan.Zero) : null,
        _to is { } t ? new DateTimeOffset(t.Date.AddDays(1).AddTicks(-10_000), TimeSpan.Zero) : null,
        _pageSize, _cursor);

    async Task SetFilter(Action change)
    {
        // Fields re-send their value on blur: reload only when the query really changed.
        var before = Query();
        change();
        if (Query() != before) await ReloadAsync();
    }

    async Task ReloadAsync()
    {
        _cursors.Clear();
        _cursor = null;
        _selected = [];
        await LoadPageAsync();
    }

    Task FirstPageAsync() => ReloadAsync();

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
            (_items, _nextCursor, _error) = (page.Items, page.NextCursor, null);
            if (_cursor is null) _newCount = 0;
        }
        catch (StoreUnavailableException)
        {
            _error = "The store is unavailable, so events could not be loaded.";
        }
        finally
        {
            (_loading, _now) = (false, Clock.GetUtcNow());
        }
    }

    async Task<WebhookEvent?> FindAsync(string eventId)
    {
        try { return await Store.FindAsync(eventId, CancellationToken.None); }
        catch (StoreUnavailableException) { return null; }
    }

    void Open(WebhookEvent e) => (_detail, _detailOpen) = (e, true);

    async Task OpenAsync(WebhookEvent e) => Open(await FindAsync(e.EventId) ?? e);

    async Task RetryAsync(WebhookEvent e)
    {
        var result = await Retries.RetryAsync(e.EventId, _user, CancellationToken.None);
        var (text, severity) = result switch
        {
            RequeueResult.Queued => ($"Event {e.EventId} queued for retry.", Severity.Success),
            RequeueResult.NotFound => ("That event no longer exists.", Severity.Warning),
            _ => ("That event is already pending or processing.", Severity.Warning),
        };
        Snackbar.Add(text, severity);
        await RefreshAsync(e.EventId);
    }

    async Task RetrySelectedAsync()
    {
        var ids = _selected.Where(IsFinished).Select(e => e.EventId).ToList();
        var queued = await Retries.RetrySelectedAsync(ids, _user, CancellationToken.None);
        Snackbar.Add($"{queued} of {_selected.Count} selected events queued for retry.", Severity.Success);
        _selected = [];
        await LoadPageAsync();
    }

    async Task RetryMatchingAsync()
    {
        var q = Query();
        var filter = new RequeueFilter(BulkStatus, q.EventType, q.From, q.To, q.AccountId, q.SenderId);
        var count = await Retries.CountAsync(filter, CancellationToken.None);
        if (count == 0)
        {
            Snackbar.Add($"No {BulkStatus.ToWire()} events match these filters.", Severity.Info);
            return;
        }
        var confirmed = await Dialogs.ShowMessageBoxAsync("Retry matching events",
            $"Put {count:#,0} {BulkStatus.ToWire()} events matching these filters back in the queue?", yesText: $"Retry {count:#,0}", cancelText: "Cancel");
        if (confirmed != true) return;
        var queued = await Retries.RetryManyAsync(filter, _user, CancellationToken.None);
        Snackbar.Add($"{queued:#,0} events queued for retry.", Severity.Success);
        await LoadPageAsync();
    }

    async Task RefreshAsync(string eventId)
    {
        if (await FindAsync(eventId) is not { } fresh) return;
        _items = _items.Select(e => e.EventId == eventId ? fresh : e).ToList();
        if (_detail?.EventId == eventId) _detail = fresh;
    }

    public void Dispose() => _live?.Dispose();
}
