using System.Threading.Channels;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Logging;

namespace InstantChat.Core.Outbound;

/// <summary>
/// Writes attempts' outcomes as they come, as many as are waiting in one commit (a write per
/// attempt took the store's writer from processing: bench/RESULTS.md, "Forwarding"). Until then
/// the store keeps the messages held, so none is taken again. A 410 Gone turns its destination off here.
/// </summary>
public sealed partial class OutboundRecorder(IOutboundStore store, IDestinationStore destinations, DestinationDirectory directory, TimeProvider clock, ILogger<OutboundRecorder> logger)
{
    // Destinations whose latest recorded attempt failed: their next success makes their waiting messages due at once.
    readonly HashSet<string> _failing = [];
    const int MaxBatch = 500;
    readonly Channel<(Destination Destination, SendResult Result)> _outcomes =
        Channel.CreateUnbounded<(Destination, SendResult)>(new UnboundedChannelOptions { SingleReader = true });

    int _pending;

    /// <summary>Outcomes waiting for their commit: the dispatcher takes no more while too many wait.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public void Add(Destination destination, SendResult result)
    {
        Interlocked.Increment(ref _pending);
        if (!_outcomes.Writer.TryWrite((destination, result))) Interlocked.Decrement(ref _pending);
    }

    public void Complete() => _outcomes.Writer.TryComplete();

    /// <param name="recorded">Called after each commit (or failed one): room for more.</param>
    public async Task RunAsync(Action recorded)
    {
        var batch = new List<(Destination Destination, SendResult Result)>(MaxBatch);
        while (await _outcomes.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _outcomes.Reader.TryRead(out var next)) batch.Add(next);
            try
            {
                await store.RecordAsync(batch.Select(b => (b.Result.Message, b.Result.Attempt!)).ToList(), CancellationToken.None);
                foreach (var (destination, result) in batch.Where(b => b.Result.DisableDestination))
                    await DisableAsync(destination, result.Attempt!.At);
                await ExpediteRecoveredAsync(batch);
            }
            catch (Exception ex)
            {
                // Not recorded: the leases run out and the messages go again, under the same webhook-id.
                LogRecordFailed(batch.Count, ex.GetType().Name, ex.Message);
            }
            Interlocked.Add(ref _pending, -batch.Count);
            recorded();
        }
    }

    /// <summary>
    /// A destination that answers 2xx again after failing gets its backlog now, not when each message's
    /// backoff ends (after a 10-minute outage the schedule would hold some for 30 minutes more).
    /// </summary>
    async Task ExpediteRecoveredAsync(List<(Destination Destination, SendResult Result)> batch)
    {
        foreach (var group in batch.GroupBy(b => b.Destination.DestinationId))
        {
            var last = group.MaxBy(b => b.Result.Attempt!.At).Result.Attempt!;
            if (!last.Succeeded) { _failing.Add(group.Key); continue; }
            if (!_failing.Remove(group.Key)) continue;
            var due = await store.ExpediteAsync(group.Key, clock.GetUtcNow(), CancellationToken.None);
            if (due > 0) LogRecovered(group.Key, due);
        }
    }

    [LoggerMessage(LogLevel.Information, "Destination {DestinationId} answers again: {Count} waiting messages are due now")]
    partial void LogRecovered(string destinationId, int count);

    /// <summary>410 Gone: the receiver says it is gone for good. Its messages stay pending until someone turns it on again.</summary>
    async Task DisableAsync(Destination destination, DateTimeOffset at)
    {
        if (await destinations.FindAsync(destination.DestinationId, CancellationToken.None) is not { Enabled: true } current) return;
        await destinations.UpdateAsync(current with { Enabled = false, DisabledReason = $"410 Gone at {at:u}", UpdatedAt = at }, CancellationToken.None);
        await directory.ReloadAsync(CancellationToken.None);
        LogDisabled(destination.DestinationId, destination.Url);
    }

    [LoggerMessage(LogLevel.Warning, "Destination {DestinationId} ({Url}) answered 410 Gone: disabled")]
    partial void LogDisabled(string destinationId, string url);

    [LoggerMessage(LogLevel.Warning, "Recording {Count} outbound attempts failed ({ErrorType} {Error}); their messages go again when their leases end")]
    partial void LogRecordFailed(int count, string errorType, string error);
}
