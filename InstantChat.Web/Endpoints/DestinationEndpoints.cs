using InstantChat.Core.Common;
using InstantChat.Core.Outbound;
using InstantChat.Core.Storage;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>Destinations and their messages (SPEC: Destinations). Admins only: a destination receives every event it matches.</summary>
public static class DestinationEndpoints
{
    public static IEndpointRouteBuilder MapDestinationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/destinations").RequireAuthorization(Policies.Admin).WithTags("Destinations");
        group.MapGet("", async (DestinationService d, CancellationToken ct) =>
            TypedResults.Ok(new DestinationListDto((await d.ListAsync(ct)).Select(x => DestinationDto.From(x)).ToList())));
        group.MapGet("/{destinationId}", async Task<Results<Ok<DestinationDto>, NotFound>> (string destinationId, DestinationService d, CancellationToken ct) =>
            await d.FindAsync(destinationId, ct) is { } x ? TypedResults.Ok(DestinationDto.From(x)) : TypedResults.NotFound());
        group.MapPost("", CreateAsync);
        group.MapPut("/{destinationId}", UpdateAsync);
        group.MapDelete("/{destinationId}", async Task<Results<NoContent, NotFound>> (string destinationId, DestinationService d, HttpContext http, CancellationToken ct) =>
            (await d.DeleteAsync(destinationId, http.User.Identity?.Name, ct)).Succeeded ? TypedResults.NoContent() : TypedResults.NotFound());
        group.MapPost("/{destinationId}/rotate-secret", async Task<Results<Ok<DestinationDto>, NotFound>> (string destinationId, DestinationService d, HttpContext http, CancellationToken ct) =>
            await d.RotateSecretAsync(destinationId, http.User.Identity?.Name, ct) is { Succeeded: true, Value: { } r }
                ? TypedResults.Ok(DestinationDto.From(r.Destination, r.Secret)) : TypedResults.NotFound());
        group.MapGet("/health", async (DestinationService d, CancellationToken ct) =>
            TypedResults.Ok(new DestinationHealthListDto((await d.StatusesAsync(ct)).Select(DestinationHealthDto.From).ToList())));
        group.MapPost("/{destinationId}/test", async Task<Results<Ok<OutboundAttemptDto>, NotFound>> (string destinationId, DestinationService d, CancellationToken ct) =>
            await d.SendTestAsync(destinationId, ct) is { Succeeded: true, Value: { } a } ? TypedResults.Ok(OutboundAttemptDto.From(a)) : TypedResults.NotFound());
        group.MapGet("/{destinationId}/messages", MessagesAsync);
        group.MapPost("/{destinationId}/messages/{messageId}/retry", RetryAsync);
        group.MapPost("/{destinationId}/messages/retry", RetryManyAsync);
        group.MapPost("/{destinationId}/replay", ReplayAsync);
        // Every signed-in user sees where an event went (the drawer's Deliveries), like its processing attempts.
        app.MapGet("/api/webhooks/events/{eventId}/deliveries", async Task<Results<Ok<OutboundMessageListDto>, NotFound>> (
            string eventId, DestinationService d, IEventStore events, CancellationToken ct) =>
        {
            if (await events.FindAsync(eventId, ct) is null) return TypedResults.NotFound();
            var (messages, attempts) = await d.ForEventAsync(eventId, ct);
            return TypedResults.Ok(new OutboundMessageListDto(messages.Select(m => OutboundMessageDto.From(m, attempts)).ToList(), null));
        }).RequireAuthorization().WithTags("Destinations");
        return app;
    }

    static async Task<Results<Created<DestinationDto>, ValidationProblem>> CreateAsync(DestinationBody? body, DestinationService d, HttpContext http, CancellationToken ct)
    {
        var r = await d.CreateAsync(body, http.User.Identity?.Name, ct);
        return r.Succeeded
            ? TypedResults.Created($"/api/destinations/{r.Value!.Destination.DestinationId}", DestinationDto.From(r.Value.Destination, r.Value.Secret))
            : ChangeResults.Invalid(r);
    }

    static async Task<Results<Ok<DestinationDto>, NotFound, ValidationProblem>> UpdateAsync(
        string destinationId, DestinationBody? body, DestinationService d, HttpContext http, CancellationToken ct)
    {
        var r = await d.UpdateAsync(destinationId, body, http.User.Identity?.Name, ct);
        return r.Status switch
        {
            ChangeStatus.Done => TypedResults.Ok(DestinationDto.From(r.Value!)),
            ChangeStatus.Invalid => ChangeResults.Invalid(r),
            _ => TypedResults.NotFound(),
        };
    }

    static async Task<Results<Ok<OutboundMessageListDto>, NotFound, ValidationProblem>> MessagesAsync(
        string destinationId, string? status, string? eventId, string? limit, string? cursor, DestinationService d, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var size = Paging.Limit(limit, errors);
        var parsed = OutboundStatuses.Parse(status);
        if (status is { Length: > 0 } && parsed is null) errors["status"] = ["status must be pending, delivered or failed."];
        if (cursor is { Length: > 0 } && !cursor.StartsWith("msg_", StringComparison.Ordinal)) errors["cursor"] = ["cursor must be a nextCursor value returned by this endpoint."];
        if (eventId is { Length: > 64 }) errors["eventId"] = ["eventId must be at most 64 characters."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        var query = new OutboundQuery(destinationId, parsed, eventId is { Length: > 0 } ? eventId : null, size, cursor is { Length: > 0 } ? cursor : null);
        if (await d.MessagesAsync(query, ct) is not { } found) return TypedResults.NotFound();
        var (page, attempts) = found;
        return TypedResults.Ok(new OutboundMessageListDto(page.Items.Select(m => OutboundMessageDto.From(m, attempts)).ToList(), page.NextCursor));
    }

    static async Task<Results<Accepted<OutboundMessageDto>, NotFound, ProblemHttpResult>> RetryAsync(
        string destinationId, string messageId, DestinationService d, HttpContext http, CancellationToken ct)
    {
        var r = await d.RetryAsync(destinationId, messageId, http.User.Identity?.Name, ct);
        return r.Status switch
        {
            ChangeStatus.Done => TypedResults.Accepted($"/api/destinations/{destinationId}/messages?eventId={r.Value!.EventId}", OutboundMessageDto.From(r.Value, [])),
            ChangeStatus.Conflict => ChangeResults.Conflict(r),
            _ => TypedResults.NotFound(),
        };
    }

    static async Task<Results<Accepted<CountDto>, NotFound, ValidationProblem>> RetryManyAsync(
        string destinationId, BulkRetryBody? body, DestinationService d, HttpContext http, CancellationToken ct)
    {
        var status = OutboundStatuses.Parse(body?.Status ?? "failed");
        if (status is null or OutboundStatus.Pending)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["status must be failed or delivered (pending messages are on their way)."] });
        var r = await d.RetryManyAsync(destinationId, status, http.User.Identity?.Name, ct);
        return r.Succeeded ? TypedResults.Accepted($"/api/destinations/{destinationId}/messages?status=pending", new CountDto(r.Value)) : TypedResults.NotFound();
    }

    static async Task<Results<Accepted<CountDto>, NotFound, ValidationProblem>> ReplayAsync(
        string destinationId, ReplayBody? body, DestinationService d, HttpContext http, CancellationToken ct)
    {
        var r = await d.ReplayAsync(destinationId, body?.Since, http.User.Identity?.Name, ct);
        return r.Status switch
        {
            ChangeStatus.Done => TypedResults.Accepted($"/api/destinations/{destinationId}/messages?status=pending", new CountDto(r.Value)),
            ChangeStatus.Invalid => ChangeResults.Invalid(r),
            _ => TypedResults.NotFound(),
        };
    }
}
