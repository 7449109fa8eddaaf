using InstantChat.Core.Notifications;
using InstantChat.Core.EventModel;
using InstantChat.Web.Components.Notifications;
using InstantChat.Web.Endpoints;
using Microsoft.AspNetCore.SignalR;

namespace InstantChat.Web.Hubs;

/// <summary>
/// Relays the event feed (this host's and, on MongoDB, the other hosts') to every hub client,
/// coalesced like the pages' (<see cref="LiveUpdates"/>): per 200 ms window each event's latest
/// state once, received ones before updates, at most <see cref="LiveUpdates.MaxBuffered"/> of them.
/// A burst beyond that, or a window that comes while the previous one is still being sent, becomes
/// one <c>eventsSkipped({ count })</c>: clients reload the list. Nothing queues: memory stays bounded
/// whatever the traffic and however slow a client is.
/// </summary>
public sealed partial class HubBroadcaster(IEventFeed feed, IHubContext<WebhookHub> hub, TimeProvider clock, ILogger<HubBroadcaster> logger) : BackgroundService
{
    public static readonly TimeSpan Window = TimeSpan.FromMilliseconds(200);
    readonly SemaphoreSlim _sending = new(1, 1);
    int _skipped;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var updates = new LiveUpdates(feed, clock, Window, batch => SendAsync(batch, stoppingToken));
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    async Task SendAsync(LiveBatch batch, CancellationToken ct)
    {
        if (!await _sending.WaitAsync(0, ct))
        {
            Interlocked.Add(ref _skipped, batch.Received.Count + batch.Updated.Count + batch.Dropped);
            return;
        }
        try
        {
            foreach (var e in batch.Received) await SendOneAsync("eventReceived", e, ct);
            foreach (var e in batch.Updated) await SendOneAsync("eventUpdated", e, ct);
            var skipped = Interlocked.Exchange(ref _skipped, 0) + batch.Dropped;
            if (skipped > 0) await hub.Clients.All.SendAsync("eventsSkipped", new EventsSkipped(skipped), ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogSendFailed(logger, ex.Message);
        }
        finally
        {
            _sending.Release();
        }
    }

    Task SendOneAsync(string method, WebhookEvent e, CancellationToken ct) => hub.Clients.All.SendAsync(method, EventDto.From(e), ct);

    [LoggerMessage(LogLevel.Warning, "Hub broadcast failed: {Error}")]
    static partial void LogSendFailed(ILogger logger, string error);
}

/// <summary>Changes not sent one by one (a burst over the window's cap): reload what is shown.</summary>
public sealed record EventsSkipped(int Count);
