using System.Diagnostics;
using System.Text.Json;
using InstantChat.Core.Subscriptions;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Processing;

/// <summary>How one attempt at an event ended, and the business write it implies when it completed.</summary>
public sealed record Attempt(
    ProcessingStatus Status, BusinessWrite? Write, string? Error, DateTimeOffset? NextAttemptAt,
    DateTimeOffset StartedAt, DateTimeOffset FinishedAt, double ProcessingMs);

/// <summary>
/// The one rule for an attempt, the same for the first (the processor, inside its batch) and the
/// retries (the queue worker): a field the account's subscription does not take, or that no handler
/// takes, is skipped; otherwise the handler plans the event's business write, or fails, and a
/// failure is retried on the schedule until the attempts run out.
/// </summary>
public sealed partial class AttemptRunner(
    HandlerRegistry handlers, SubscriptionDirectory subscriptions, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<AttemptRunner> logger)
{
    readonly RetrySchedule _schedule = new(TimeSpan.FromMilliseconds(options.Value.RetryDelayMs), options.Value.RetryAttempts, clock);

    /// <param name="attempt">The attempt's number (1 for the first).</param>
    public Attempt Run(WebhookEvent e, JsonElement update, int attempt)
    {
        var startedAt = clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var subscription = subscriptions.ForAccount(e.AccountId);
        // A field the account's subscription does not take is kept, and skipped.
        if (subscription is not null && !subscription.Subscribes(e, update))
            return new(ProcessingStatus.Skipped, null, $"{Subscriptions.WebhookSubscription.FieldOf(e, update)} is not in the subscription's subscribedFields", null, startedAt, clock.GetUtcNow(), 0);
        if (handlers.For(e.Platform, e.EventType) is not { } handler)
            return new(ProcessingStatus.Skipped, null, null, null, startedAt, clock.GetUtcNow(), 0);
        try
        {
            var write = handler.Plan(e, update);
            return new(ProcessingStatus.Completed, write, null, null, startedAt, clock.GetUtcNow(), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return Failed(e, attempt, $"{ex.GetType().Name}: {ex.Message}", startedAt, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    /// <summary>A failed attempt: pending again on the schedule, or failed for good when it was the last.</summary>
    public Attempt Failed(WebhookEvent e, int attempt, string error, DateTimeOffset startedAt, double processingMs)
    {
        var next = _schedule.NextAttemptAfter(attempt, subscriptions.ForAccount(e.AccountId)?.ProcessingConfig.RetryAttempts);
        LogAttemptFailed(logger, e.EventId, e.EventType, attempt, next is null ? "failed" : "will retry", error);
        return new(next is null ? ProcessingStatus.Failed : ProcessingStatus.Pending, null, error, next, startedAt, clock.GetUtcNow(), processingMs);
    }

    [LoggerMessage(LogLevel.Warning, "Event {WebhookEventId} ({EventType}) attempt {Attempt} failed, {Next}: {Error}")]
    static partial void LogAttemptFailed(ILogger logger, string webhookEventId, string eventType, int attempt, string next, string error);
}
