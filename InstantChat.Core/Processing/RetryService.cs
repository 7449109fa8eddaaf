using InstantChat.Core.Storage;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Processing;

/// <summary>Admins put finished events back in the queue: one, a selection, or every one matching a filter.</summary>
public sealed partial class RetryService(IQueueStore queue, QueueSignal signal, TimeProvider clock, ILogger<RetryService> audit)
{
    public async Task<RequeueResult> RetryAsync(string eventId, string? by, CancellationToken ct)
    {
        var result = await queue.RequeueAsync(eventId, clock.GetUtcNow(), by, ct);
        if (result != RequeueResult.Queued) return result;
        signal.Notify();
        LogRetry(audit, by, eventId);
        return result;
    }

    /// <summary>Retries each selected event that is finished; returns how many were queued.</summary>
    public async Task<int> RetrySelectedAsync(IReadOnlyCollection<string> eventIds, string? by, CancellationToken ct)
    {
        var queued = 0;
        foreach (var id in eventIds)
            if (await RetryAsync(id, by, ct) == RequeueResult.Queued) queued++;
        return queued;
    }

    public async Task<int> RetryManyAsync(RequeueFilter filter, string? by, CancellationToken ct)
    {
        var queued = await queue.RequeueManyAsync(filter, clock.GetUtcNow(), by, ct);
        if (queued > 0) signal.Notify();
        LogBulkRetry(audit, by, queued, filter.ToString());
        return queued;
    }

    public Task<long> CountAsync(RequeueFilter filter, CancellationToken ct) => queue.CountRequeueableAsync(filter, ct);

    [LoggerMessage(LogLevel.Information, "Audit: retry of event {WebhookEventId} by {User}")]
    static partial void LogRetry(ILogger logger, string? user, string webhookEventId);

    [LoggerMessage(LogLevel.Information, "Audit: bulk retry by {User}: {Queued} events queued ({Filter})")]
    static partial void LogBulkRetry(ILogger logger, string? user, int queued, string filter);
}
