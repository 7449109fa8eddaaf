using System.Threading.Channels;
using InstantChat.Core.Notifications;
using InstantChat.Core.Processing;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Webhooks;

/// <summary>
/// Group commit: deliveries that arrive while a commit is in flight share the next one, so one
/// fsync acknowledges many of them. A caller's task completes only after its commit is durable.
/// </summary>
public sealed partial class IngestWriter(IIngestStore store, QueueSignal queueSignal, IEventFeed feed, WebhookMetrics metrics, ILogger<IngestWriter> logger) : BackgroundService
{
    const int MaxDeliveriesPerCommit = 1_000;
    const int MaxEventsPerCommit = 20_000;

    readonly Channel<Pending> _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(10_000)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.Wait,
    });

    public async Task<CommitResult> WriteAsync(IngestBatch batch, CancellationToken cancellationToken)
    {
        var pending = new Pending(batch, new TaskCompletionSource<CommitResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            await _queue.Writer.WriteAsync(pending, cancellationToken);
        }
        catch (ChannelClosedException)
        {
            throw new StoreUnavailableException("the ingest writer is stopping");
        }
        // Not cancellable once queued: the commit happens either way, and the caller learns its outcome.
        return await pending.Completion.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var group = new List<Pending>(64);
        var batches = new List<IngestBatch>(64);
        // Runs until the channel is completed in StopAsync, so everything queued is still committed.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            group.Clear();
            batches.Clear();
            var events = 0;
            while (group.Count < MaxDeliveriesPerCommit && events < MaxEventsPerCommit && reader.TryRead(out var next))
            {
                group.Add(next);
                batches.Add(next.Batch);
                events += next.Batch.Events.Count;
            }
            await CommitAsync(group, batches);
        }
    }

    async Task CommitAsync(List<Pending> group, List<IngestBatch> batches)
    {
        try
        {
            var results = await store.CommitAsync(batches, CancellationToken.None);
            for (var i = 0; i < group.Count; i++) group[i].Completion.TrySetResult(results[i]);
            queueSignal.Notify();
            var inserted = results.SelectMany(r => r.Inserted).ToList();
            metrics.Events(inserted, "received");
            feed.Publish(EventChange.Received, inserted);
        }
        catch (Exception ex)
        {
            LogCommitFailed(group.Count, ex.GetType().Name, ex.Message);
            var failure = ex as StoreUnavailableException ?? new StoreUnavailableException("the store could not commit", ex);
            foreach (var pending in group) pending.Completion.TrySetException(failure);
            // Deliveries that queued while this commit was failing would otherwise each wait for a
            // commit of their own that fails the same way (4 s of server selection on MongoDB: 8 s and
            // more in all, past Meta's 5 s). They get the same 503 now; Meta retries them.
            while (_queue.Reader.TryRead(out var waiting)) waiting.Completion.TrySetException(failure);
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Error, "Group commit of {Deliveries} deliveries failed: {ErrorType} {Error}")]
    partial void LogCommitFailed(int deliveries, string errorType, string error);

    sealed record Pending(IngestBatch Batch, TaskCompletionSource<CommitResult> Completion);
}
