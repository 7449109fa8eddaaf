using InstantChat.Core.Processing;
using InstantChat.Core.Storage;
using InstantChat.Core.Webhooks;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InstantChat.Web.Endpoints;

/// <summary>Admins put finished events back in the queue: one, or every one matching a filter.</summary>
public static partial class RetryEndpoints
{
    public static IEndpointRouteBuilder MapRetryEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/webhooks/events").RequireAuthorization(Policies.Admin).WithTags("Events");
        group.MapPost("/{eventId}/retry", RetryAsync);
        group.MapPost("/retry", RetryManyAsync);
        return app;
    }

    static async Task<Results<Accepted<RetryAccepted>, NotFound, ProblemHttpResult>> RetryAsync(
        string eventId, IQueueStore queue, QueueSignal signal, TimeProvider clock, HttpContext http, ILoggerFactory loggers, CancellationToken ct)
    {
        switch (await queue.RequeueAsync(eventId, clock.GetUtcNow(), ct))
        {
            case RequeueResult.Queued:
                signal.Notify();
                LogRetry(loggers.CreateLogger(typeof(RetryEndpoints)), http.User.Identity?.Name, eventId);
                return TypedResults.Accepted($"/api/webhooks/events/{eventId}", new RetryAccepted(eventId));
            case RequeueResult.NotFound:
                return TypedResults.NotFound();
            default:
                return TypedResults.Problem(statusCode: 409, title: "Already queued",
                    detail: "The event is pending or processing; it can be retried once it is completed, failed or skipped.");
        }
    }

    static async Task<Results<Accepted<BulkRetryAccepted>, ValidationProblem>> RetryManyAsync(
        BulkRetryRequest? request, IQueueStore queue, QueueSignal signal, TimeProvider clock, HttpContext http, ILoggerFactory loggers, CancellationToken ct)
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
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var filter = new RequeueFilter(status, request?.EventType, request?.From, request?.To);
        var queued = await queue.RequeueManyAsync(filter, clock.GetUtcNow(), ct);
        if (queued > 0) signal.Notify();
        LogBulkRetry(loggers.CreateLogger(typeof(RetryEndpoints)), http.User.Identity?.Name, queued, filter.ToString());
        return TypedResults.Accepted("/api/webhooks/events", new BulkRetryAccepted(queued));
    }

    [LoggerMessage(LogLevel.Information, "Retry of event {WebhookEventId} by {User}")]
    static partial void LogRetry(ILogger logger, string? user, string webhookEventId);

    [LoggerMessage(LogLevel.Information, "Bulk retry by {User}: {Queued} events queued ({Filter})")]
    static partial void LogBulkRetry(ILogger logger, string? user, int queued, string filter);
}

public sealed record RetryAccepted(string EventId);
public sealed record BulkRetryAccepted(int Queued);

/// <summary>Which finished events to retry; every field optional (status defaults to failed).</summary>
public sealed record BulkRetryRequest(string? Status, string? EventType, DateTimeOffset? From, DateTimeOffset? To);
