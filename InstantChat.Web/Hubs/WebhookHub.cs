using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace InstantChat.Web.Hubs;

/// <summary>
/// Live events for outside clients: <c>eventReceived(event)</c> and <c>eventUpdated(event)</c>,
/// each the event as the REST API returns it. Signed-in users and API keys only; a connection whose
/// session ends or whose key is revoked is closed (<see cref="HubSessions"/>).
/// </summary>
[Authorize]
public sealed class WebhookHub(HubSessions sessions) : Hub
{
    public const string Path = "/hubs/webhooks";

    public override Task OnConnectedAsync()
    {
        sessions.Opened(Context);
        return base.OnConnectedAsync();
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        sessions.Closed(Context);
        return base.OnDisconnectedAsync(exception);
    }
}
