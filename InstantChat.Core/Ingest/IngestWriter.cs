using InstantChat.Core.Common;
using InstantChat.Core.EventModel;
using System.Threading.Channels;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Ingest;

/// <summary>
/// Group commit to the delivery log: deliveries that arrive while an append is in flight share the
/// next one, so one fsync acknowledges many of them. A caller's task completes only after its
/// append is durable. Nothing else happens here: no parsing, no events, no per-event write.
/// </summary>
public sealed partial class IngestWriter(IDeliveryLog log, LogSignal logSignal, LogProgress progress, ILogger<IngestWriter> logger) : BackgroundService
{
    const int MaxDeliveriesPerCommit = 1_000;
    const long MaxBytesPerCommit = 32L * 1024 * 1024;

    // Unbounded, lock-free: what waits here is already bounded upstream (every queued delivery still
    // holds its share of WEBHOOK_MAX_INFLIGHT_BYTES until its answer), and a bounded channel's lock
    // was one more thing 64 connections contended on per acknowledgement.
    readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Appends the delivery; completes with its position in the log once that is durable. Not
    /// cancellable once queued: the commit happens either way, and the caller learns its outcome.
    /// No async layer of its own: the caller's await is the only one between the request and the commit.
    /// </summary>
    public Task<IngestOutcome> WriteAsync(LogAppend delivery)
    {
        var pending = new Pending(delivery);
        return _queue.Writer.TryWrite(pending)
            ? pending.Task
            : Task.FromException<IngestOutcome>(new StoreUnavailableException("the ingest writer is stopping"));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        var group = new List<Pending>(64);
        var appends = new List<LogAppend>(64);
        // Runs until the channel is completed in StopAsync, so everything queued is still committed.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            group.Clear();
            appends.Clear();
            long bytes = 0;
            while (group.Count < MaxDeliveriesPerCommit && bytes < MaxBytesPerCommit && reader.TryRead(out var next))
            {
                group.Add(next);
                appends.Add(next.Delivery);
                bytes += next.Delivery.Body.Length;
            }
            await CommitAsync(group, appends);
        }
    }

    async Task CommitAsync(List<Pending> group, List<LogAppend> appends)
    {
        try
        {
            var seqs = await log.AppendAsync(appends, CancellationToken.None);
            progress.Appended(group.Count);
            for (var i = 0; i < group.Count; i++) group[i].TrySetResult(new IngestOutcome(group[i].Delivery.DeliveryId, seqs[i]));
            logSignal.Notify();
        }
        catch (Exception ex)
        {
            LogCommitFailed(group.Count, ex.GetType().Name, ex.Message);
            var failure = ex as StoreUnavailableException ?? new StoreUnavailableException("the store could not commit", ex);
            foreach (var pending in group) pending.TrySetException(failure);
            // Deliveries that queued while this commit was failing would otherwise each wait for a
            // commit of their own that fails the same way (4 s of server selection on MongoDB: 8 s and
            // more in all, past Meta's 5 s). They get the same 503 now; Meta retries them.
            while (_queue.Reader.TryRead(out var waiting)) waiting.TrySetException(failure);
        }
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        _queue.Writer.TryComplete();
        return base.StopAsync(cancellationToken);
    }

    [LoggerMessage(LogLevel.Error, "Group commit of {Deliveries} deliveries failed: {ErrorType} {Error}")]
    partial void LogCommitFailed(int deliveries, string errorType, string error);

    /// <summary>A queued delivery and its caller's answer, one object per delivery.</summary>
    sealed class Pending(LogAppend delivery) : TaskCompletionSource<IngestOutcome>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        public LogAppend Delivery { get; } = delivery;
    }
}
