using InstantChat.Core.Processing;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>Admins put finished events back in the queue: one, or every one matching a filter.</summary>
public static class RetryEndpoints
{
    public static IEndpointRouteBuilder MapRetryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/webhooks/events").RequireAuthorization(Policies.Admin).WithTags("Events");
        group.MapPost("/{eventId}/retry", RetryAsync);
        group.MapPost("/retry", RetryManyAsync);
        return app;
    }

    static async Task<Results<Accepted<RetryAccepted>, NotFound, ProblemHttpResult>> RetryAsync(
        string eventId, RetryService retries, HttpContext http, CancellationToken ct)
    {
        switch (await retries.RetryAsync(eventId, http.User.Identity?.Name, ct))
        {
            case RequeueResult.Queued:
                return TypedResults.Accepted($"/api/webhooks/events/{eventId}", new RetryAccepted(eventId));
            case RequeueResult.NotFound:
                return TypedResults.NotFound();
            default:
                return TypedResults.Problem(statusCode: 409, title: "Already queued",
                    detail: "The event is pending or processing; it can be retried once it is completed, failed or skipped.");
        }
    }

    static async Task<Results<Accepted<BulkRetryAccepted>, ValidationProblem>> RetryManyAsync(
        BulkRetryRequest? request, RetryService retries, HttpContext http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        ProcessingStatus? status = null;
        if (request?.Status is { Length: > 0 } s)
        {
            if (ProcessingStatuses.TryParse(s, out var parsed) && parsed is ProcessingStatus.Failed or ProcessingStatus.Completed or ProcessingStatus.Skipped)
                status = parsed;
            else errors["status"] = ["status must be failed, completed or skipped (default failed)."];
        }
        if (request?.EventType is { } type && !EventTypes.IsWellFormed(type))
            errors["eventType"] = ["eventType must be a field name: lowercase letters, digits and underscores."];
        if (request?.From > request?.To) errors["to"] = ["to must not be earlier than from."];
        if (request?.AccountId is { Length: > 128 }) errors["accountId"] = ["accountId must be at most 128 characters."];
        if (request?.SenderId is { Length: > 128 }) errors["senderId"] = ["senderId must be at most 128 characters."];
        if (NullIfEmpty(request?.Platform) is { } platform && !Platforms.IsKnown(platform))
            errors["platform"] = [$"platform must be one of {string.Join(", ", Platforms.All)}."];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var filter = new RequeueFilter(status, request?.EventType, request?.From, request?.To,
            NullIfEmpty(request?.AccountId), NullIfEmpty(request?.SenderId), NullIfEmpty(request?.Platform));
        var queued = await retries.RetryManyAsync(filter, http.User.Identity?.Name, ct);
        return TypedResults.Accepted("/api/webhooks/events", new BulkRetryAccepted(queued));
    }

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}

public sealed record RetryAccepted(string EventId);
public sealed record BulkRetryAccepted(int Queued);

/// <summary>Which finished events to retry; every field optional (status defaults to failed).</summary>
public sealed record BulkRetryRequest(string? Status, string? EventType, DateTimeOffset? From, DateTimeOffset? To, string? AccountId = null, string? SenderId = null,
    string? Platform = null);
