using InstantChat.Core.Storage;
using InstantChat.Web.Components.Shared;

namespace InstantChat.Web.Components.Pages;

/// <summary>"1,234 matching": what the filters select, counted beside the list.</summary>
public sealed partial class Events
{
    /// <summary>Counted up to this many (a bounded read of an index); past it the page says "10,000+".</summary>
    const int CountCap = 10_000;
    MatchCount? _count;

    string CountText => _count is not { } c ? "" : $"{Format.Number(c.Count)}{(c.AtLeast ? "+" : "")} matching";

    /// <summary>After the list, never instead of it: a store that cannot count hides the count, nothing else.</summary>
    async Task CountAsync()
    {
        try
        {
            _count = await Store.CountAsync(Query(), CountCap, CancellationToken.None);
        }
        catch (StoreUnavailableException)
        {
            _count = null;
        }
    }
}
