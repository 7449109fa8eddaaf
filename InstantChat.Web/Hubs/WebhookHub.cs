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
