using InstantChat.Core.Conversations;
using InstantChat.Core.Storage;
using Microsoft.AspNetCore.Components;

namespace InstantChat.Web.Components.Pages;

/// <summary>Finding a thread by the person's name or by what was said.</summary>
public sealed partial class Conversations
{
    const int SearchedEvents = 200;
    const int FoundThreads = 50;

    [Inject] IEventStore Events { get; set; } = default!;

    string? _search;

    bool Searching => TextSearch.IsSearchable(_search);

    /// <summary>
    /// Through the events' text index, which holds message text and the names events carry (a
    /// commenter's username): the newest matching events, then the threads of their senders that
    /// exist, newest activity first. Bounded: 200 events, 50 threads.
    /// </summary>
    async Task<List<Conversation>?> SearchAsync()
    {
        var page = await TryAsync(() => Events.ListFullPageAsync(new EventQuery(AccountId: _account, Text: _search, Limit: SearchedEvents), CancellationToken.None));
        if (page is null) return null;
        var ids = page.Items.Where(e => e.SenderId != e.AccountId).Select(ConversationIds.Of).OfType<string>()
            .Distinct().Take(FoundThreads).ToList();
        var found = new List<Conversation>();
        foreach (var id in ids)
            if (await TryAsync(() => Store.FindAsync(id, CancellationToken.None)) is { } c) found.Add(c);
        return await NamedAsync(found.OrderByDescending(c => c.LastMessageAt).ToList());
    }

    async Task SetSearchAsync(string? text)
    {
        _search = string.IsNullOrWhiteSpace(text) ? null : text.Trim();
        _selected = null;
        await ReloadAsync();
    }
}
