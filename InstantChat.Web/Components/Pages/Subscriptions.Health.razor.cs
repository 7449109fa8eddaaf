using InstantChat.Core.EventModel;
using InstantChat.Core.Storage;
using InstantChat.Web.Components.Shared;
using Microsoft.AspNetCore.Components;

namespace InstantChat.Web.Components.Pages;

/// <summary>How each subscribed account is doing: its last event, and the last 24 h's volume and failures.</summary>
public sealed partial class Subscriptions
{
    /// <summary>Counted up to this many (bounded reads of the account index); past it "10,000+".</summary>
    const int HealthCap = 10_000;
    const int MaxAccounts = 50;

    [Inject] IEventStore Events { get; set; } = default!;
    [Inject] TimeProvider Clock { get; set; } = default!;

    sealed record AccountHealth(DateTimeOffset? LastEventAt, MatchCount Day, MatchCount FailedDay);

    Dictionary<string, AccountHealth> _health = new(StringComparer.Ordinal);

    /// <summary>Three index reads per account, after the table shows; a store that cannot answer leaves the column empty.</summary>
    async Task LoadHealthAsync()
    {
        var since = Clock.GetUtcNow().AddHours(-24);
        var health = new Dictionary<string, AccountHealth>(StringComparer.Ordinal);
        try
        {
            foreach (var account in _items.Select(s => s.InstagramAccountId).Distinct().Take(MaxAccounts))
            {
                var last = (await Events.ListAsync(new EventQuery(AccountId: account, Limit: 1), CancellationToken.None)).Items.FirstOrDefault();
                health[account] = new AccountHealth(last?.ReceivedAt,
                    await Events.CountAsync(new EventQuery(AccountId: account, From: since), HealthCap, CancellationToken.None),
                    await Events.CountAsync(new EventQuery(AccountId: account, Status: ProcessingStatus.Failed, From: since), HealthCap, CancellationToken.None));
            }
        }
        catch (StoreUnavailableException)
        {
            // The table is what matters; its health column waits for the store.
        }
        _health = health;
    }

    string Health(string account)
    {
        if (!_health.TryGetValue(account, out var h)) return "";
        if (h.LastEventAt is not { } last) return "no events yet";
        var day = h.Day.Count == 0 ? "none in 24 h"
            : $"{Format.Count(h.Day.Count, "event")}{(h.Day.AtLeast ? "+" : "")} in 24 h · {Format.Number(h.FailedDay.Count)}{(h.FailedDay.AtLeast ? "+" : "")} failed" +
              (h.Day.AtLeast ? "" : $" ({Format.Percent((double)h.FailedDay.Count / h.Day.Count)})");
        return $"last {Format.Ago(last, Clock.GetUtcNow())} · {day}";
    }
}
