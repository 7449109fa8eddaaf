using InstantChat.Core.Conversations;
using InstantChat.Core.Notifications;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using InstantChat.Web.Components.Notifications;
using Microsoft.AspNetCore.Components;

namespace InstantChat.Web.Components.Pages;

/// <summary>Threads (newest activity first, keyset "load more") and a chat view of the chosen one, both live.</summary>
public sealed partial class Conversations : IDisposable
{
    [Inject] IConversationStore Store { get; set; } = default!;
    [Inject] Shared.ParticipantNames Names { get; set; } = default!;
    [Inject] IEventFeed Feed { get; set; } = default!;
    [Inject] TimeProvider Clock { get; set; } = default!;
    [Inject] Shared.ViewerTime Viewer { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "id")] public string? ConversationId { get; set; }

    List<Conversation> _conversations = [];
    IReadOnlyList<ThreadMessage> _messages = [];
    Conversation? _selected;
    string? _account, _nextCursor, _error;
    bool _loading = true;
    LiveUpdates? _live;

    /// <summary>Threads whose participant never sent a name in a message, named from the directory (their comments did).</summary>
    async Task<List<Conversation>> NamedAsync(IReadOnlyList<Conversation> items)
    {
        var names = await Names.FindAsync(items.Where(c => c.ParticipantUsername is null).Select(c => c.ParticipantId));
        return items.Select(c => c.ParticipantUsername is null && names.GetValueOrDefault(c.ParticipantId)?.DisplayName is { } name
            ? c with { ParticipantUsername = name } : c).ToList();
    }

    static string AccountTitle(Conversation c) => c.Platform switch
    {
        Core.EventModel.Platforms.Messenger => "Facebook Page",
        Core.EventModel.Platforms.WhatsApp => "WhatsApp phone number",
        _ => "Instagram account",
    };

    static string Initial(Conversation c) => (c.ParticipantUsername ?? c.ParticipantId) is { Length: > 0 } n ? n[..1].ToUpperInvariant() : "?";

    protected override async Task OnInitializedAsync()
    {
        await ReloadAsync();
        if (ConversationId is { Length: > 0 } id && await TryAsync(() => Store.FindAsync(id, CancellationToken.None)) is { } c) await SelectAsync(c);
        // Processing (not ingest) changes threads, so processed events are the signal to refresh. An
        // event received and processed within one window comes as received, in its processed state.
        if (RendererInfo.IsInteractive)
            _live = new LiveUpdates(Feed, Clock, TimeSpan.FromSeconds(1), b => InvokeAsync(async () =>
            {
                if (b.Updated.Count == 0 && b.Dropped == 0 && b.Received.All(e => e.ProcessedStatus == ProcessingStatus.Pending)) return;
                await RefreshAsync();
                StateHasChanged();
            }));
    }

    async Task ReloadAsync()
    {
        _loading = true;
        if (Searching)
        {
            (_conversations, _nextCursor) = (await SearchAsync() ?? [], null);
        }
        else
        {
            var page = await TryAsync(() => Store.ListAsync(_account, 50, null, CancellationToken.None));
            (_conversations, _nextCursor) = (await NamedAsync(page?.Items ?? []), page?.NextCursor);
        }
        _loading = false;
    }

    async Task RefreshAsync()
    {
        // Keep what is shown (and the pages loaded so far) in place; only the first page can gain threads.
        if (Searching)
        {
            _conversations = await SearchAsync() ?? _conversations;
        }
        else if (await TryAsync(() => Store.ListAsync(_account, Math.Max(50, _conversations.Count), null, CancellationToken.None)) is { } page)
        {
            (_conversations, _nextCursor) = (await NamedAsync(page.Items), page.NextCursor);
        }
        if (_selected is { } s)
        {
            _selected = _conversations.FirstOrDefault(c => c.ConversationId == s.ConversationId) ?? s;
            _messages = await TryAsync(() => Store.MessagesAsync(s.ConversationId, CancellationToken.None)) ?? _messages;
        }
    }

    async Task MoreAsync()
    {
        var page = await TryAsync(() => Store.ListAsync(_account, 50, _nextCursor, CancellationToken.None));
        if (page is null) return;
        _conversations.AddRange(await NamedAsync(page.Items));
        _nextCursor = page.NextCursor;
    }

    async Task SetAccountAsync(string? account)
    {
        _account = string.IsNullOrWhiteSpace(account) ? null : account.Trim();
        _selected = null;
        await ReloadAsync();
    }

    async Task SelectAsync(Conversation? c)
    {
        _selected = c;
        _messages = c is null ? [] : await TryAsync(() => Store.MessagesAsync(c.ConversationId, CancellationToken.None)) ?? [];
    }

    async Task<T?> TryAsync<T>(Func<Task<T>> read) where T : class?
    {
        try
        {
            var value = await read();
            _error = null;
            return value;
        }
        catch (StoreUnavailableException)
        {
            _error = "The store is unavailable, so conversations could not be loaded.";
            return null;
        }
    }

    public void Dispose() => _live?.Dispose();
}
