using System.Collections.Concurrent;
using System.Threading.Channels;
using System.Threading.RateLimiting;
using InstantChat.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Outbound;

/// <summary>
/// Sends due messages to the enabled destinations. Per destination a lane holds a few messages
/// ahead (taken with a lease, so on MongoDB each goes out from one host at a time, and a host that
/// dies lets its messages go when the lease ends) and up to <c>maxConcurrency</c> senders work
/// through them, <c>maxPerSecond</c> started a second, none while the circuit is open. With
/// conversation ordering the store only ever hands out the first unfinished message of each
/// conversation. Outcomes are written many to a commit (<see cref="OutboundRecorder"/>).
/// </summary>
public sealed partial class OutboundDispatcher(
    IOutboundStore store,
    DestinationDirectory directory,
    OutboundSender sender,
    OutboundRecorder recorder,
    CircuitStates circuits,
    OutboundSignal signal,
    IOptions<OutboundOptions> options,
    TimeProvider clock,
    ILogger<OutboundDispatcher> logger) : BackgroundService
{
    static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);
    const int MaxUnrecorded = 5_000;
    /// <summary>A held message comes back to any host after this, should its sender die (longer than any attempt and the wait ahead of it).</summary>
    static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    readonly string _holder = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid():N}";
    readonly ConcurrentDictionary<string, Lane> _lanes = new();
    CancellationToken _stopping;

    /// <summary>One destination's messages held ahead, the senders working through them, and its start-rate limiter.</summary>
    sealed class Lane(string destinationId)
    {
        public readonly string DestinationId = destinationId;
        /// <summary>Chains: a message alone, or a conversation's messages in order (each sent once the one before was delivered).</summary>
        public readonly Channel<OutboundMessage[]> Ahead = Channel.CreateUnbounded<OutboundMessage[]>();
        /// <summary>Messages taken and not yet sent: ahead, or being sent.</summary>
        public int Held;
        public int Senders;
        public int? Rate;
        public RateLimiter? Limiter;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SenderEnabled) return;
        _stopping = stoppingToken;
        await Task.Yield();
        try { await store.ReleaseAllAsync(_holder, stoppingToken); } catch (StoreUnavailableException) { }
        var recording = recorder.RunAsync(signal.Notify);
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
                break;
            }
            await signal.WaitAsync(Poll, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        recorder.Complete();
        await recording;
    }

    /// <summary>Keeps two to four times the destination's concurrency held ahead, and enough senders running.</summary>
    async Task FillAsync(Destination destination, CancellationToken ct)
    {
        var lane = _lanes.GetOrAdd(destination.DestinationId, id => new Lane(id));
        var target = Math.Max(16, destination.Concurrency * 4);
        var want = target - Volatile.Read(ref lane.Held);
        // Sent and not yet recorded, a message stays held (not taken again) but no longer takes a place
        // here: the store's writer being busy with processing must not stall sending. Past a bound, it does.
        if (circuits.IsOpen(destination.DestinationId) || recorder.Pending >= MaxUnrecorded) return;
        // Taken in chunks (once half the places are free), not a query per finished send.
        if (want >= target / 2)
        {
            var now = clock.GetUtcNow();
            var taken = await store.TakeDueAsync(destination.DestinationId, want, now, now + Lease, _holder, ct);
            Interlocked.Add(ref lane.Held, taken.Count);
            foreach (var chain in Chains(taken)) lane.Ahead.Writer.TryWrite(chain);
        }
        while (lane.Ahead.Reader.Count > 0 && Volatile.Read(ref lane.Senders) < destination.Concurrency)
        {
            Interlocked.Increment(ref lane.Senders);
            _ = Task.Run(() => SendLoopAsync(lane), CancellationToken.None);
        }
    }

    /// <summary>The store hands a conversation's messages out right behind each other, in order: one chain each.</summary>
    static IEnumerable<OutboundMessage[]> Chains(IReadOnlyList<OutboundMessage> taken)
    {
        var chain = new List<OutboundMessage>();
        foreach (var m in taken)
        {
            if (chain.Count > 0 && (m.OrderKey is null || m.OrderKey != chain[0].OrderKey)) { yield return [.. chain]; chain.Clear(); }
            chain.Add(m);
        }
        if (chain.Count > 0) yield return [.. chain];
    }

    /// <summary>One sender: takes the next held chain, sends it, hands the outcomes to the recorder; ends when none is waiting.</summary>
    async Task SendLoopAsync(Lane lane)
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                // The destination as it is now: edited, turned off or deleted since its messages were taken.
                var destination = directory.Enabled.FirstOrDefault(d => d.DestinationId == lane.DestinationId);
                if (destination is not null && Volatile.Read(ref lane.Senders) > destination.Concurrency) break; // its concurrency was lowered
                if (!lane.Ahead.Reader.TryRead(out var chain)) break;
                // A conversation's next message goes only once the one before it was delivered; what was not
                // tried (the destination is gone, or one before it was not delivered) is given back.
                var tried = 0;
                if (destination is not null) while (tried < chain.Length && await SendAsync(destination, lane, chain[tried++])) { }
                foreach (var rest in chain[tried..]) await ReleaseAsync(lane, rest, rest.NextAttemptAt ?? clock.GetUtcNow());
            }
        }
        finally
        {
            Interlocked.Decrement(ref lane.Senders);
            signal.Notify();
        }
    }

    /// <summary>One attempt; true when the message was delivered.</summary>
    async Task<bool> SendAsync(Destination destination, Lane lane, OutboundMessage message)
    {
        try
        {
            if (Limiter(destination, lane) is { } limiter) using (await limiter.AcquireAsync(1, _stopping)) { }
            var result = await sender.SendAsync(destination, message, _stopping);
            if (result.Attempt is null) { await ReleaseAsync(lane, message, result.ReleasedUntil ?? clock.GetUtcNow()); return false; }
            recorder.Add(destination, result);
            Freed(lane.DestinationId, 1);
            return result.Message.Status == OutboundStatus.Delivered;
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
            // Stopping: the lease runs out and the message goes again (the same webhook-id).
            return false;
        }
        catch (Exception ex)
        {
            LogSendFailed(message.MessageId, ex.GetType().Name, ex.Message);
            Freed(lane.DestinationId, 1);
            return false;
        }
    }

    async Task ReleaseAsync(Lane lane, OutboundMessage message, DateTimeOffset dueAt)
    {
        try { await store.ReleaseAsync(message.MessageId, dueAt, CancellationToken.None); }
        catch (StoreUnavailableException) { } // the lease runs out instead
        Freed(lane.DestinationId, 1);
    }

    /// <summary>Messages of a destination sent or given back: room to take more.</summary>
    void Freed(string destinationId, int count)
    {
        if (_lanes.TryGetValue(destinationId, out var lane)) Interlocked.Add(ref lane.Held, -count);
        signal.Notify();
    }

    static RateLimiter? Limiter(Destination destination, Lane lane)
    {
        if (destination.MaxPerSecond is not { } rate) return null;
        lock (lane)
        {
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
    }

    [LoggerMessage(LogLevel.Warning, "Sending outbound messages: the store failed ({Error}); trying again")]
    partial void LogStoreFailed(string error);

    [LoggerMessage(LogLevel.Error, "Sending message {MessageId} failed unexpectedly: {ErrorType} {Error}; it is sent again when its lease ends")]
    partial void LogSendFailed(string messageId, string errorType, string error);
}
