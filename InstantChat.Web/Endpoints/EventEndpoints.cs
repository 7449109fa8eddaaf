using InstantChat.Core.Storage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>The read side of the events: list with filters and keyset paging, one event, its delivery.</summary>
public static class EventEndpoints
{
    public static IEndpointRouteBuilder MapEventEndpoints(this IEndpointRouteBuilder app)
    {
        var events = app.MapGroup("/api/webhooks/events").RequireAuthorization().WithTags("Events");
        events.MapGet("", ListAsync);
        events.MapGet("/{eventId}", GetAsync);
        events.MapGet("/{eventId}/attempts", AttemptsAsync);

        var deliveries = app.MapGroup("/api/webhooks/deliveries").RequireAuthorization().WithTags("Events");
        deliveries.MapGet("/{deliveryId}", GetDeliveryAsync);
        deliveries.MapGet("/{deliveryId}/body", GetDeliveryBodyAsync);
        return app;
    }

    static async Task<Results<Ok<EventListDto>, ValidationProblem>> ListAsync(HttpRequest request, IEventStore store, CancellationToken ct)
    {
        var query = EventQueryParser.Parse(request.Query, out var errors);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var page = await store.ListAsync(query, ct);
        return TypedResults.Ok(new EventListDto(page.Items.Select(EventDto.From).ToList(), page.NextCursor));
    }

    static async Task<Results<Ok<EventDto>, NotFound>> GetAsync(string eventId, IEventStore store, CancellationToken ct) =>
        await store.FindAsync(eventId, ct) is { } e ? TypedResults.Ok(EventDto.From(e)) : TypedResults.NotFound();

    /// <summary>Every processing attempt, including the ones before a manual retry reset the count.</summary>
    static async Task<Results<Ok<AttemptListDto>, NotFound>> AttemptsAsync(string eventId, IEventStore store, IQueueStore queue, CancellationToken ct) =>
        await store.FindAsync(eventId, ct) is null
            ? TypedResults.NotFound()
            : TypedResults.Ok(new AttemptListDto(await queue.AttemptsAsync(eventId, ct)));

    static async Task<Results<Ok<DeliveryDto>, NotFound>> GetDeliveryAsync(string deliveryId, IEventStore store, CancellationToken ct) =>
        await store.FindDeliveryAsync(deliveryId, ct) is { } d ? TypedResults.Ok(DeliveryDto.From(d)) : TypedResults.NotFound();

    /// <summary>The exact bytes Meta sent, as a download (never rendered: it is untrusted input).</summary>
    static async Task<Results<FileContentHttpResult, NotFound>> GetDeliveryBodyAsync(string deliveryId, IEventStore store, CancellationToken ct) =>
        await store.FindDeliveryAsync(deliveryId, ct) is { } d
            ? TypedResults.File(d.Body, "application/octet-stream", $"delivery-{d.DeliveryId}.json")
            : TypedResults.NotFound();
}
