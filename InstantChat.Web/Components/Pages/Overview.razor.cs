using InstantChat.Core.Notifications;
using InstantChat.Core.Stats;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Web.Components.Notifications;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using MudBlazor;

namespace InstantChat.Web.Components.Pages;

/// <summary>Stat cards, charts, recent activity and top lists; refreshed live, at most once a second.</summary>
public sealed partial class Overview : IDisposable
{
    [Inject] StatsService Stats { get; set; } = default!;
    [Inject] IEventStore Events { get; set; } = default!;
    [Inject] IEventFeed Feed { get; set; } = default!;
    [Inject] TimeProvider Clock { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;
    [Inject] Shared.ParticipantNames Names { get; set; } = default!;
    [CascadingParameter] Task<AuthenticationState> Auth { get; set; } = default!;

    StatsReport? _report;
    IReadOnlyList<WebhookEvent> _recent = [];
    IReadOnlyDictionary<string, Core.People.Participant> _senders = new Dictionary<string, Core.People.Participant>();
    string? _error;
    bool _loading = true;
    bool _isAdmin;
    DateTimeOffset _now;
    string _callbackUrl = "";
    LiveUpdates? _live;


    protected override async Task OnInitializedAsync()
    {
        _callbackUrl = Navigation.ToAbsoluteUri("api/webhooks/meta").ToString();
        _isAdmin = (await Auth).User.IsInRole(Core.Security.Roles.Admin);
        await LoadAsync();
        if (RendererInfo.IsInteractive)
            _live = new LiveUpdates(Feed, Clock, TimeSpan.FromSeconds(1), _ => InvokeAsync(async () =>
            {
                await LoadAsync();
                StateHasChanged();
            }));
    }

    async Task LoadAsync()
    {
        try
        {
            _now = Clock.GetUtcNow();
            _report = await Stats.ReportAsync(CancellationToken.None);
            _recent = await Names.NameAsync((await Events.ListAsync(new EventQuery(Limit: 8), CancellationToken.None)).Items);
            _senders = await SenderNamesAsync(_report);
            _minutes = await Stats.LastHourAsync(CancellationToken.None);
            BuildCharts(_report);
            _error = null;
        }
        catch (StoreUnavailableException)
        {
            _error = "The store is unavailable, so statistics could not be loaded. Events are not lost: Meta retries deliveries.";
        }
        finally
        {
            _loading = false;
        }
    }

    /// <summary>Top senders by name: people from the directory, the business's own accounts as the business.</summary>
    async Task<IReadOnlyDictionary<string, Core.People.Participant>> SenderNamesAsync(StatsReport r)
    {
        var accounts = r.EventsPerAccount.Select(a => a.Key).ToHashSet(StringComparer.Ordinal);
        var names = new Dictionary<string, Core.People.Participant>(await Names.FindAsync(r.TopSenders.Select(s => s.Key).Where(k => !accounts.Contains(k))), StringComparer.Ordinal);
        foreach (var sender in r.TopSenders.Where(s => accounts.Contains(s.Key)))
            names[sender.Key] = new Core.People.Participant(sender.Key, Shared.Format.Business(sender.Key), null, null, _now);
        return names;
    }

    /// <summary>Events that ended (completed or failed): with none, a rate or an average would be a made-up 0.</summary>
    static long Finished(StatsReport r) => r.ByStatus.GetValueOrDefault("completed") + r.ByStatus.GetValueOrDefault("failed");

    public void Dispose() => _live?.Dispose();
}
