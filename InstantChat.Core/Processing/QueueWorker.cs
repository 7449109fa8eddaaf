using System.Diagnostics;
using InstantChat.Core.Notifications;
using InstantChat.Core.Storage;
using InstantChat.Core.Subscriptions;
using InstantChat.Core.Webhooks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace InstantChat.Core.Processing;

/// <summary>
/// Drains the queue: claims a batch with a lease, runs the handlers with bounded parallelism, and
/// writes every outcome back in one commit. It holds nothing that a restart would lose.
/// </summary>
public sealed partial class QueueWorker(
    IQueueStore queue,
    HandlerRegistry handlers,
    QueueSignal signal,
    IEventFeed feed,
    WebhookMetrics metrics,
    SubscriptionDirectory subscriptions,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<QueueWorker> logger) : BackgroundService
{
    readonly WebhookOptions _options = options.Value;
    readonly RetrySchedule _schedule = new(TimeSpan.FromMilliseconds(options.Value.RetryDelayMs), options.Value.RetryAttempts, clock);
    readonly string _owner = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";

    // Transient store errors (busy, a lost connection) are retried briefly before the batch gives up.
    static readonly ResiliencePipeline StoreRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<StoreUnavailableException>(),
            MaxRetryAttempts = 3,
            Delay = TimeSpan.FromMilliseconds(100),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
        })
        .Build();

    TimeSpan Lease => TimeSpan.FromSeconds(_options.LeaseSeconds);
    TimeSpan PollInterval => TimeSpan.FromMilliseconds(_options.PollIntervalMs);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.WorkerEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (await DrainOnceAsync(stoppingToken) == 0)
                {
                    metrics.QueueDepth(await queue.QueueLengthAsync(stoppingToken));
                    await signal.WaitAsync(PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // claimed events not written back come back when their lease expires
            }
            catch (Exception ex)
            {
                LogDrainFailed(ex.GetType().Name, ex.Message);
                await Task.Delay(PollInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    /// <summary>One claim → process → complete cycle; returns how many events it claimed.</summary>
    public async Task<int> DrainOnceAsync(CancellationToken cancellationToken) =>
        await ProcessClaimAsync(new ClaimRequest(_options.BatchSize, clock.GetUtcNow(), Lease, _owner, subscriptions.BatchSizes), cancellationToken);

    /// <summary>
    /// Processes these just-stored events at once, for accounts whose subscription turns the queue
    /// off. They are claimed like any other, so a worker elsewhere never runs them a second time.
    /// </summary>
    public Task<int> ProcessNowAsync(IReadOnlyCollection<string> eventIds, CancellationToken cancellationToken) =>
        ProcessClaimAsync(new ClaimRequest(eventIds.Count, clock.GetUtcNow(), Lease, _owner, EventIds: eventIds), cancellationToken);

    async Task<int> ProcessClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        var batch = await StoreRetry.ExecuteAsync(async ct => await queue.ClaimAsync(request, ct), cancellationToken);
        if (batch.Count == 0) return 0;

        var outcomes = new AttemptOutcome[batch.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.WorkerParallelism, CancellationToken = cancellationToken },
            async (i, ct) => outcomes[i] = await ProcessAsync(batch[i], ct));

        var written = await StoreRetry.ExecuteAsync(async ct => await queue.CompleteAsync(outcomes, _owner, ct), cancellationToken);
        foreach (var o in outcomes) metrics.Attempt(o.Event.EventType, o.Status, o.ProcessingMs);
        feed.Publish(EventChange.Updated, written);
        return batch.Count;
    }

    async Task<AttemptOutcome> ProcessAsync(WebhookEvent e, CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        var subscription = subscriptions.ForAccount(e.AccountId);
        // A field the account's subscription does not take is kept, and skipped (unparseable ones are always re-parsed).
        if (subscription is not null && e.EventType != EventTypes.Unknown && !subscription.Subscribes(e.EventType))
            return new(e, ProcessingStatus.Skipped, startedAt, clock.GetUtcNow(), 0, $"{e.EventType} is not in the subscription's subscribedFields", null);
        var handler = handlers.For(e.EventType);
        if (handler is null)
            return new(e, ProcessingStatus.Skipped, startedAt, clock.GetUtcNow(), 0, null, null);
        try
        {
            // A handler must finish well inside the lease, or another worker could take the event meanwhile.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Lease / 2);
            await handler.HandleAsync(e, timeout.Token);
            return new(e, ProcessingStatus.Completed, startedAt, clock.GetUtcNow(), Elapsed(started), null, null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var error = $"{ex.GetType().Name}: {ex.Message}";
            var next = _schedule.NextAttemptAfter(e.Attempts, subscription?.ProcessingConfig.RetryAttempts);
            LogAttemptFailed(e.EventId, e.EventType, e.Attempts, next is null ? "failed" : "will retry", error);
            return new(e, next is null ? ProcessingStatus.Failed : ProcessingStatus.Pending, startedAt, clock.GetUtcNow(), Elapsed(started), error, next);
        }
    }

    static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    [LoggerMessage(LogLevel.Warning, "Event {WebhookEventId} ({EventType}) attempt {Attempt} failed, {Next}: {Error}")]
    partial void LogAttemptFailed(string webhookEventId, string eventType, int attempt, string next, string error);

    [LoggerMessage(LogLevel.Error, "Queue drain failed: {ErrorType} {Error}")]
    partial void LogDrainFailed(string errorType, string error);
}
