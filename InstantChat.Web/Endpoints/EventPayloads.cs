using System.Text.Json;
using InstantChat.Core.Outbound;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Options;

namespace InstantChat.Web.Endpoints;

/// <summary>
/// Destination bodies: with <c>payload: "event"</c> the event exactly as <c>GET /api/webhooks/events/{id}</c>
/// returns it (same DTO, same JSON options); with <c>"meta"</c> Meta's single update as received.
/// </summary>
public sealed class EventPayloads(IEventStore events, RecentEvents recent, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) : IOutboundPayloads
{
    // One body per event instance, however many destinations it goes to; it goes with the event
    // (a later status of the event is a new instance, so a new body).
    readonly System.Runtime.CompilerServices.ConditionalWeakTable<Core.EventModel.WebhookEvent, string> _bodies = new();

    public async Task<string?> BodyAsync(string eventId, PayloadShape shape, CancellationToken cancellationToken)
    {
        if ((recent.Find(eventId) ?? await events.FindAsync(eventId, cancellationToken)) is not { } e) return null;
        return shape == PayloadShape.Meta ? e.Payload ?? "null"
            : _bodies.GetValue(e, e => JsonSerializer.Serialize(EventDto.From(e), json.Value.SerializerOptions));
    }
}
