using System.Diagnostics;
using InstantChat.Core.Notifications;
using InstantChat.Core.Storage;
using InstantChat.Core.Subscriptions;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using System.Text.Json;

namespace InstantChat.Core.Processing;

/// <summary>
/// The retry queue: events whose first attempt (in the processor) failed, manual retries, and
/// re-parsed deliveries. Claims a batch with a lease, runs each attempt, applies the business writes
/// and writes every outcome back. It holds nothing that a restart would lose; the queue is small,
/// since only failures are in it.
/// </summary>
public sealed partial class QueueWorker(
    IQueueStore queue,
    AttemptRunner attempts,
    IBusinessStore business,
    IDeliveryBodies bodies,
    Reparser reparser,
    QueueSignal signal,
    IEventFeed feed,
    WebhookMetrics metrics,
    SubscriptionDirectory subscriptions,
    Outbound.DestinationDirectory destinations,
    Outbound.OutboundSignal outbound,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<QueueWorker> logger) : BackgroundService
{
    readonly WebhookOptions _options = options.Value;
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

    async Task<int> ProcessClaimAsync(ClaimRequest request, CancellationToken cancellationToken)
    {
        var claimed = await StoreRetry.ExecuteAsync(async ct => await queue.ClaimAsync(request, ct), cancellationToken);
        if (claimed.Count == 0) return 0;
        // The handlers read the update's JSON: cut out of the delivery's bytes (it is not stored twice).
        var batch = await StoreRetry.ExecuteAsync(async ct => await UpdatePayloads.FillAsync(claimed, bodies, ct), cancellationToken);

        var outcomes = new AttemptOutcome[batch.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, batch.Count),
            new ParallelOptions { MaxDegreeOfParallelism = _options.WorkerParallelism, CancellationToken = cancellationToken },
            async (i, ct) => outcomes[i] = await ProcessAsync(batch[i], ct));

        var written = await StoreRetry.ExecuteAsync(async ct => await queue.CompleteAsync(outcomes, _owner, ct), cancellationToken);
        foreach (var o in outcomes) metrics.Attempt(o.Event.EventType, o.Status, o.ProcessingMs);
        if (outcomes.Any(o => o.Outbound is { Count: > 0 })) outbound.Notify();
        var payloads = batch.ToDictionary(e => e.EventId, e => e.Payload, StringComparer.Ordinal);
        feed.Publish(EventChange.Updated, written.Select(e => e.Payload is null && payloads.GetValueOrDefault(e.EventId) is { } p ? e with { Payload = p } : e).ToList());
        return batch.Count;
    }

    async Task<AttemptOutcome> ProcessAsync(WebhookEvent e, CancellationToken cancellationToken)
    {
        var startedAt = clock.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        try
        {
            // A handler must finish well inside the lease, or another worker could take the event meanwhile.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(Lease / 2);
            if (e.EventType == EventTypes.Unknown)
            {
                // An unparseable delivery is re-parsed from its bytes (after a parser fix it yields its events).
                await reparser.RecoverAsync(e, timeout.Token);
                return Outcome(e, new Attempt(ProcessingStatus.Completed, null, null, null, startedAt, clock.GetUtcNow(), Elapsed(started)));
            }
            using var payload = JsonDocument.Parse(e.Payload ?? throw new InvalidDataException("the event has no payload"));
            var attempt = attempts.Run(e, payload.RootElement, e.Attempts);
            if (attempt.Write is { } write) await business.ApplyAsync([write], timeout.Token);
            return Outcome(e, attempt);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return Outcome(e, attempts.Failed(e, e.Attempts, $"{ex.GetType().Name}: {ex.Message}", startedAt, Elapsed(started)));
        }
    }

    // A retry that completes is when the event goes to its destinations (in the same commit).
    AttemptOutcome Outcome(WebhookEvent e, Attempt a) => new(e, a.Status, a.StartedAt, a.FinishedAt, a.ProcessingMs, a.Error, a.NextAttemptAt,
        e.EventType == EventTypes.Unknown ? null : destinations.TargetsFor(e with { ProcessedStatus = a.Status }));

    static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    [LoggerMessage(LogLevel.Error, "Queue drain failed: {ErrorType} {Error}")]
    partial void LogDrainFailed(string errorType, string error);
}
