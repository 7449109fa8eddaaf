using InstantChat.Core.EventModel;
using InstantChat.Core.Processing;
using InstantChat.Core.Storage;
using InstantChat.Web.Components.Shared;
using MudBlazor;

namespace InstantChat.Web.Components.Pages;

/// <summary>The Events page's admin retries: one row, the selected rows, every failed event matching the filters.</summary>
public sealed partial class Events
{
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
        var filter = new RequeueFilter(BulkStatus, q.EventType, q.From, q.To, q.AccountId, q.SenderId, q.Platform);
        var count = await Retries.CountAsync(filter, CancellationToken.None);
        if (count == 0)
        {
            Snackbar.Add($"No {BulkStatus.ToWire()} events match these filters.", Severity.Info);
            return;
        }
        var confirmed = await Dialogs.ShowMessageBoxAsync("Retry matching events",
            $"Put {Format.Count(count, BulkStatus.ToWire() + " event")} matching these filters back in the queue?", yesText: $"Retry {count:#,0}", cancelText: "Cancel");
        if (confirmed != true) return;
        var queued = await Retries.RetryManyAsync(filter, _user, CancellationToken.None);
        Snackbar.Add($"{Format.Count(queued, "event")} queued for retry.", Severity.Success);
        await LoadPageAsync();
    }

    async Task RefreshAsync(string eventId)
    {
        if (await FindAsync(eventId) is not { } fresh) return;
        _items = _items.Select(e => e.EventId == eventId ? fresh : e).ToList();
        if (_detail?.EventId == eventId) _detail = fresh;
    }
}
