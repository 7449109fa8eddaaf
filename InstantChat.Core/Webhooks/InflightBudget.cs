using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Webhooks;

/// <summary>
/// Bounds the memory that webhook bodies being read hold at once (WEBHOOK_MAX_INFLIGHT_BYTES): a
/// body reserves its buffer before it grows. When the budget is full, the oldest bodies still being
/// read give way to the newcomer (a body Meta sends arrives within a second; one that is still
/// trickling in after others came and went is the likely attack), and only when nothing can give
/// way is the newcomer refused. After a burst the memory is handed back to the OS.
/// </summary>
public sealed partial class InflightBudget(IOptions<WebhookOptions> options, ILogger<InflightBudget> logger)
{
    const long ReturnAfter = 64L * 1024 * 1024;
    readonly long _limit = options.Value.MaxInflightBytes;
    readonly Lock _gate = new();
    readonly LinkedList<Holder> _holders = new();
    long _used, _peak;
    int _returning;

    public long Used => Interlocked.Read(ref _used);

    /// <summary>Starts a body's account; <paramref name="evict"/> is called (once, outside any lock) to make it give way.</summary>
    public Holder Open(Action evict)
    {
        var holder = new Holder(this, evict);
        lock (_gate) holder.Node = _holders.AddLast(holder);
        return holder;
    }

    bool TryReserve(Holder holder, long bytes)
    {
        List<Holder>? evicted = null;
        bool fits;
        lock (_gate)
        {
            if (holder.Node is null) return false;
            for (var oldest = _holders.First; _used + bytes > _limit && oldest is not null;)
            {
                var next = oldest.Next;
                // The newcomer's own bytes stay; so do those of bodies that hold nothing yet.
                if (oldest.Value != holder && oldest.Value.Bytes > 0)
                {
                    _used -= oldest.Value.Bytes;
                    oldest.Value.Bytes = 0;
                    oldest.Value.Node = null;
                    _holders.Remove(oldest);
                    (evicted ??= []).Add(oldest.Value);
                }
                oldest = next;
            }
            fits = _used + bytes <= _limit;
            if (fits)
            {
                _used += bytes;
                holder.Bytes += bytes;
                _peak = Math.Max(_peak, _used);
            }
            if (evicted is null) return fits;
        }
        foreach (var victim in evicted) victim.Evict();
        return fits;
    }

    void Release(Holder holder, long bytes)
    {
        bool returnMemory;
        lock (_gate)
        {
            var freed = Math.Min(bytes, holder.Bytes);
            holder.Bytes -= freed;
            _used -= freed;
            returnMemory = _used == 0 && _peak >= ReturnAfter;
            if (returnMemory) _peak = 0;
        }
        if (returnMemory && Interlocked.Exchange(ref _returning, 1) == 0) _ = ReturnMemoryAsync();
    }

    void Close(Holder holder)
    {
        Release(holder, holder.Bytes);
        lock (_gate)
        {
            if (holder.Node is { } node) _holders.Remove(node);
            holder.Node = null;
        }
    }

    /// <summary>
    /// The GC keeps a burst's freed buffers as committed heap; once no body is in flight for a
    /// moment, a compacting collection gives that memory back, so RSS returns to its level before.
    /// </summary>
    async Task ReturnMemoryAsync()
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (Used > ReturnAfter / 4) return;
            var before = Environment.WorkingSet;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            LogReturned(logger, before / 1_048_576, Environment.WorkingSet / 1_048_576);
        }
        finally
        {
            Volatile.Write(ref _returning, 0);
        }
    }

    [LoggerMessage(LogLevel.Information, "Webhook bodies in flight went back to zero after a burst: working set {Before} MiB → {After} MiB")]
    static partial void LogReturned(ILogger logger, long before, long after);

    /// <summary>One body's share of the budget.</summary>
    public sealed class Holder(InflightBudget budget, Action evict) : IDisposable
    {
        int _evicted;
        internal LinkedListNode<Holder>? Node { get; set; }
        internal long Bytes { get; set; }

        /// <summary>False when the budget is full and nothing older could give way.</summary>
        public bool TryReserve(long bytes) => budget.TryReserve(this, bytes);

        public void Release(long bytes) => budget.Release(this, bytes);

        internal void Evict()
        {
            if (Interlocked.Exchange(ref _evicted, 1) == 0) evict();
        }

        public void Dispose() => budget.Close(this);
    }
}
