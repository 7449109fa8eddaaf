using System.Collections.Concurrent;
using System.Threading.RateLimiting;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Outbound;

/// <summary>
/// Sends due messages to the enabled destinations: per destination at most <c>maxConcurrency</c>
/// in flight and <c>maxPerSecond</c> started, nothing while its circuit is open; with conversation
/// ordering the store only ever hands out the first unfinished message of each conversation.
/// Messages are held with a lease, so on MongoDB each goes out from one host at a time, and a
/// host that dies lets its messages go when the lease ends.
/// </summary>
public sealed partial class OutboundDispatcher(
    IOutboundStore store,
    IDestinationStore destinations,
    DestinationDirectory directory,
    OutboundSender sender,
    CircuitStates circuits,
    OutboundSignal signal,
    IOptions<OutboundOptions> options,
    TimeProvider clock,
    ILogger<OutboundDispatcher> logger) : BackgroundService
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    /// <summary>A held message comes back to any host after this, should its sender die (longer than any attempt).</summary>
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    readonly ConcurrentDictionary<string, Lane> _lanes = new();

    /// <summary>Per destination: messages in flight, and the start-rate limiter (rebuilt when its limit changes).</summary>
    sealed class Lane
    {
        public int InFlight;
        public int? Rate;
        public RateLimiter? Limiter;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SenderEnabled) return;
        await Task.Yield();
        try { await store.ReleaseAllAsync(_holder, stoppingToken); } catch (StoreUnavailableException) { }
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                foreach (var destination in directory.Enabled) await FillAsync(destination, stoppingToken);
            }
            catch (StoreUnavailableException ex)
            {
                LogStoreFailed(ex.Message);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            await signal.WaitAsync(Poll, stoppingToken);
        }
    }

    async Task FillAsync(Destination destination, CancellationToken ct)
    {
        var lane = _lanes.GetOrAdd(destination.DestinationId, _ => new Lane());
        var free = destination.Concurrency - Volatile.Read(ref lane.InFlight);
        if (free <= 0 || circuits.IsOpen(destination.DestinationId)) return;
        var now = clock.GetUtcNow();
        var taken = await store.TakeDueAsync(destination.DestinationId, free, now, now + Lease, _holder, ct);
        foreach (var message in taken)
        {
            Interlocked.Increment(ref lane.InFlight);
            _ = Task.Run(() => SendAsync(destination, lane, message, ct), CancellationToken.None);
        }
    }

    async Task SendAsync(Destination destination, Lane lane, OutboundMessage message, CancellationToken ct)
    {
        try
        {
            if (Limiter(destination, lane) is { } limiter) using (await limiter.AcquireAsync(1, ct)) { }
            var result = await sender.SendAsync(destination, message, ct);
            if (result.Attempt is { } attempt) await store.RecordAsync(result.Message, attempt, CancellationToken.None);
            else await store.ReleaseAsync(message.MessageId, result.ReleasedUntil ?? clock.GetUtcNow(), CancellationToken.None);
            if (result.DisableDestination) await DisableAsync(destination, result.Attempt?.At ?? clock.GetUtcNow());
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: the lease runs out and the message goes again (the same webhook-id).
        }
        catch (Exception ex)
        {
            LogSendFailed(message.MessageId, ex.GetType().Name, ex.Message);
        }
        finally
        {
            Interlocked.Decrement(ref lane.InFlight);
            signal.Notify();
        }
    }

    static RateLimiter? Limiter(Destination destination, Lane lane)
    {
        if (destination.MaxPerSecond is not { } rate) return null;
        if (lane.Rate != rate || lane.Limiter is null)
        {
            lane.Limiter = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
            {
                TokenLimit = rate, TokensPerPeriod = rate, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                QueueLimit = 10_000, QueueProcessingOrder = QueueProcessingOrder.OldestFirst, AutoReplenishment = true,
            });
            lane.Rate = rate;
        }
        return lane.Limiter;
    }

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

    [LoggerMessage(LogLevel.Warning, "Sending outbound messages: the store failed ({Error}); trying again")]
    partial void LogStoreFailed(string error);

    [LoggerMessage(LogLevel.Error, "Sending message {MessageId} failed unexpectedly: {ErrorType} {Error}; it is sent again when its lease ends")]
    partial void LogSendFailed(string messageId, string errorType, string error);
}
