using System.Threading.Channels;
using InstantChat.Core.Notifications;
using InstantChat.Core.Webhooks;
using InstantChat.Web.Endpoints;
using Microsoft.AspNetCore.SignalR;

namespace InstantChat.Web.Hubs;

/// <summary>
/// Relays the event feed (this host's and, on MongoDB, the other hosts') to every hub client. The
/// feed's publishers (the ingest commit, the worker) never wait for clients: changes go through a
/// bounded queue, and within each send window an event's updates collapse into its latest state
/// (claimed then completed is one <c>eventUpdated</c>, not two). Every received event is still sent,
/// before the updates of its window.
/// </summary>
public sealed partial class HubBroadcaster(IEventFeed feed, IHubContext<WebhookHub> hub, ILogger<HubBroadcaster> logger) : BackgroundService
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(200);
    const int Capacity = 50_000;
    readonly Channel<(EventChange Change, WebhookEvent Event)> _changes = Channel.CreateBounded<(EventChange, WebhookEvent)>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropOldest });

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var subscription = feed.Subscribe((change, events) =>
        {
            foreach (var e in events) _changes.Writer.TryWrite((change, e));
        });
        var window = new Dictionary<(EventChange, string), WebhookEvent>();
        try
        {
            while (await _changes.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Window, stoppingToken);
                while (_changes.Reader.TryRead(out var item)) window[(item.Change, item.Event.EventId)] = item.Event;
                await SendAsync(window.Select(w => (w.Key.Item1, w.Value)), stoppingToken);
                window.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    async Task SendAsync(IEnumerable<(EventChange Change, WebhookEvent Event)> items, CancellationToken ct)
    {
        foreach (var (change, e) in items.OrderBy(i => i.Item1).ThenBy(i => i.Item2.EventId, StringComparer.Ordinal))
        {
            try
            {
                await hub.Clients.All.SendAsync(change == EventChange.Received ? "eventReceived" : "eventUpdated", EventDto.From(e), ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSendFailed(logger, e.EventId, ex.Message);
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Hub broadcast of {WebhookEventId} failed: {Error}")]
    static partial void LogSendFailed(ILogger logger, string webhookEventId, string error);
}
