using InstantChat.Core.Common;
using InstantChat.Core.Notifications;
using InstantChat.Core.Parsing;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Processing;

/// <summary>
/// The one processing step: takes acknowledged deliveries from the log in order, many at a time,
/// parses each once, makes each event's first attempt with the parser's own output, and commits the
/// events (final, or pending a retry), their business writes, the stats and the log position in one
/// transaction, so every delivery is processed exactly once, after a crash too. Failures go to the
/// retry queue (<see cref="QueueWorker"/>); nothing that succeeds is ever queued.
/// </summary>
public sealed partial class LogProcessor(
    ILogConsumer log,
    IIngestStore store,
    MetaParser parser,
    AttemptRunner attempts,
    LogSignal signal,
    LogProgress progress,
    IEventFeed feed,
    WebhookMetrics metrics,
    IOptions<WebhookOptions> options,
    TimeProvider clock,
    ILogger<LogProcessor> logger,
    Outbound.DestinationDirectory destinations,
    Outbound.OutboundSignal outbound,
    Common.BackgroundLane? lane = null) : BackgroundService
{
    /// <summary>A backlog is taken in larger batches than WEBHOOK_BATCH_SIZE: fewer, larger commits catch up faster.</summary>
    const int BacklogBatch = 1_000;
    const long MaxBatchBytes = 8L * 1024 * 1024;
    readonly WebhookOptions _options = options.Value;
    readonly BurstYield _burst = new(progress, options.Value.MaxBacklog, clock);
    // One batch at a time per host: on SQLite the log position is the only thing that says what is taken.
    readonly SemaphoreSlim _one = new(1, 1);
    // The previous batch's commit, still running while the next batch is parsed.
    Task<IReadOnlyList<WebhookEvent>>? _committing;

    // On the background lane: when a burst saturates the CPU, acknowledgements come first and the
    // backlog is caught up behind them (it is bounded by WEBHOOK_MAX_BACKLOG); see BurstYield.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        !_options.WorkerEnabled ? Task.CompletedTask
        : lane is null ? LoopAsync(stoppingToken)
        : lane.Run(() => LoopAsync(stoppingToken));

    async Task LoopAsync(CancellationToken stoppingToken)
    {
        var poll = TimeSpan.FromMilliseconds(_options.PollIntervalMs);
        var size = _options.BatchSize;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    if (await _burst.StandAsideAsync(stoppingToken)) continue;
                    var taken = (await StepAsync(size, wait: false, stoppingToken)).Deliveries;
                    // A full batch means a backlog: take the next one larger.
                    size = taken >= size ? Math.Min(BacklogBatch, Math.Max(size, _options.BatchSize) * 2) : _options.BatchSize;
                    if (taken == 0) await signal.WaitAsync(poll, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return; // nothing is lost: the log position moves only with a commit
                }
                catch (Exception ex)
                {
                    LogBatchFailed(ex.GetType().Name, ex.Message);
                    await Task.Delay(poll, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }
        finally
        {
            // The last commit started finishes (or fails and is taken again at the next start).
            if (_committing is { } last) await last.ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One take → parse → attempt → commit cycle: how many deliveries it processed, and the events that were new.</summary>
    public Task<(int Deliveries, IReadOnlyList<WebhookEvent> Inserted)> ProcessOnceAsync(int maxDeliveries, CancellationToken cancellationToken) =>
        StepAsync(maxDeliveries, wait: true, cancellationToken);

    /// <summary>
    /// Takes and parses the next batch while the previous one commits (parsing and the store's
    /// commit then use two cores), then waits for that commit and starts this batch's. Batches commit
    /// in the order they were taken; when a commit fails, the batches after it are taken again.
    /// With <paramref name="wait"/>, this batch's commit is awaited too (Inserted is then filled).
    /// </summary>
    async Task<(int Deliveries, IReadOnlyList<WebhookEvent> Inserted)> StepAsync(int maxDeliveries, bool wait, CancellationToken cancellationToken)
    {
        await _one.WaitAsync(cancellationToken);
        try
        {
            var taken = await log.TakeAsync(maxDeliveries, MaxBatchBytes, cancellationToken);
            var batches = taken.Entries.Count == 0 ? [] : taken.Entries.Select(Process).ToList();
            var previous = _committing;
            _committing = null;
            if (previous is not null) await previous;
            if (taken.Entries.Count == 0) return (0, []);
            var commit = CommitAsync(taken, batches, cancellationToken);
            if (wait) return (taken.Entries.Count, await commit);
            _committing = commit;
            return (taken.Entries.Count, []);
        }
        catch
        {
            _committing = null;
            log.Abandon();
            throw;
        }
        finally
        {
            _one.Release();
        }
    }

    async Task<IReadOnlyList<WebhookEvent>> CommitAsync(LogBatch taken, List<IngestBatch> batches, CancellationToken cancellationToken)
    {
        var results = await store.CommitAsync(batches, taken, cancellationToken);
        var replays = taken.Entries.Where((_, i) => results[i] is { Inserted.Count: 0, Duplicates: > 0 }).ToList();
        await log.ForgetReplaysAsync(taken, replays, cancellationToken);
        progress.Processed(taken.Entries.Count);
        var inserted = results.SelectMany(r => r.Inserted).ToList();
        metrics.Events(inserted, "received");
        foreach (var e in inserted) if (e.Attempts > 0) metrics.Attempt(e.EventType, e.ProcessedStatus, e.ProcessingMs ?? 0);
        feed.Publish(EventChange.Received, inserted);
        if (destinations.Enabled.Count > 0) outbound.Notify();
        return inserted;
    }

    IngestBatch Process(LogEntry entry)
    {
        using var parsed = parser.ParseDelivery(entry.Body, entry.DeliveryId, entry.ReceivedAt);
        var events = new WebhookEvent[parsed.Events.Count];
        var writes = new BusinessWrite?[parsed.Events.Count];
        for (var i = 0; i < events.Length; i++)
        {
            var e = parsed.Events[i];
            if (e.ProcessedStatus != ProcessingStatus.Pending || parsed.Updates[i] is not { } update)
            {
                events[i] = e; // unparseable: kept failed, never attempted
                continue;
            }
            if (entry.Vouched is { } vouched && e.AccountId is { } account && !vouched.Contains(account))
            {
                // The endpoint refuses such a body; this holds even if a reader ever disagreed with it.
                events[i] = e with { ProcessedStatus = ProcessingStatus.Failed, LastError = "the signing subscription's secret does not vouch for this account", NextAttemptAt = null };
                continue;
            }
            var attempt = attempts.Run(e, update, 1);
            writes[i] = attempt.Write;
            events[i] = e with
            {
                ProcessedStatus = attempt.Status,
                Attempts = 1,
                LastError = attempt.Error,
                ProcessedAt = attempt.Status == ProcessingStatus.Pending ? null : attempt.FinishedAt,
                ProcessingMs = attempt.ProcessingMs,
                NextAttemptAt = attempt.NextAttemptAt,
            };
        }
        var delivery = new Delivery(entry.DeliveryId, entry.ReceivedAt, entry.ContentType, entry.Body);
        // Only events that finished get destinations (TargetsFor); with none enabled, nothing to allocate per delivery.
        var targets = destinations.Enabled.Count == 0 ? null : events.Select(destinations.TargetsFor).ToList();
        return new IngestBatch(delivery, events, writes, entry.Seq, targets);
    }

    [LoggerMessage(LogLevel.Error, "Processing a batch of the delivery log failed (it is taken again): {ErrorType} {Error}")]
    partial void LogBatchFailed(string errorType, string error);
}
