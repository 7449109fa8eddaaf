using InstantChat.Core.Notifications;
using InstantChat.Web.Endpoints;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace InstantChat.Web.Hubs;

/// <summary>
/// Live events for outside clients: <c>eventReceived(event)</c> and <c>eventUpdated(event)</c>,
/// each the event as the REST API returns it. Signed-in users and API keys only.
/// </summary>
[Authorize]
public sealed class WebhookHub : Hub
{
    public const string Path = "/hubs/webhooks";
}

/// <summary>Relays the event feed (this host's and, on MongoDB, the other hosts') to every hub client.</summary>
public sealed class HubBroadcaster(IEventFeed feed, IHubContext<WebhookHub> hub) : IHostedService, IDisposable
{
    IDisposable? _subscription;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscription = feed.Subscribe((change, events) =>
        {
            var method = change == EventChange.Received ? "eventReceived" : "eventUpdated";
            // Fire and forget: the feed's publisher (the ingest commit, the worker) never waits for clients.
            foreach (var e in events) _ = hub.Clients.All.SendAsync(method, EventDto.From(e));
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        return Task.CompletedTask;
    }

    public void Dispose() => _subscription?.Dispose();
}
