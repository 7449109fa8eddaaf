using System.Buffers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Webhooks;

/// <summary>
/// Bounds the memory that webhook bodies being read hold at once (WEBHOOK_MAX_INFLIGHT_BYTES): a
/// body reserves its buffer before it grows, and buffers come from a pool of this budget's own, so
/// a body pushed out leaves a buffer for the next one rather than garbage. When the budget is full,
/// bodies older than the one that needs room give way, oldest first (a body Meta sends arrives
/// within a second; one still trickling in after others came and went is the likely attack); a
/// body that nothing older can make room for is refused. After a burst the memory goes back to the OS.
/// </summary>
public sealed partial class InflightBudget : IDisposable
{
    const long ReturnAfter = 64L * 1024 * 1024;
    const int PooledUpTo = 16 * 1024 * 1024, SmallBuffer = 16 * 1024;
    readonly long _limit;
    readonly ILogger<InflightBudget> _logger;
    readonly Lock _gate = new();
    readonly LinkedList<Holder> _holders = new();
    long _used, _peak;
    int _returning;
    // Two idle buffers per size at most: a burst's worth is dropped when it ends (see ReturnMemoryAsync).
    volatile ArrayPool<byte> _pool = NewPool();

    public InflightBudget(IOptions<WebhookOptions> options, ILogger<InflightBudget> logger, WebhookMetrics? metrics = null)
    {
        _limit = options.Value.MaxInflightBytes;
        _logger = logger;
        metrics?.ObserveInflight(() => Used);
    }

    static ArrayPool<byte> NewPool() => ArrayPool<byte>.Create(PooledUpTo, maxArraysPerBucket: 2);

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
            // Only bodies older than this one give way: an old body that wants to grow never pushes out a newer one.
            for (var oldest = _holders.First; _used + bytes > _limit && oldest is not null && oldest.Value != holder;)
            {
                var next = oldest.Next;
                if (oldest.Value.Bytes > 0)
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
        }
        foreach (var victim in evicted ?? []) victim.Evict();
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
        lock (_gate)
        {
            _used -= holder.Bytes;
            holder.Bytes = 0;
            if (holder.Node is { } node) _holders.Remove(node);
            holder.Node = null;
        }
        Release(holder, 0);
    }

    /// <summary>
    /// Once no body has been in flight for a moment after a burst, the pool's idle buffers are
    /// dropped and a compacting collection hands the freed heap back, so RSS returns to its level before.
    /// </summary>
    async Task ReturnMemoryAsync()
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (Used > ReturnAfter / 4) return;
            var before = Environment.WorkingSet;
            _pool = NewPool();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            LogReturned(_logger, before / 1_048_576, Environment.WorkingSet / 1_048_576);
        }
        finally
        {
            Volatile.Write(ref _returning, 0);
        }
    }

    [LoggerMessage(LogLevel.Information, "Webhook bodies in flight went back to zero after a burst: working set {Before} MiB → {After} MiB")]
    static partial void LogReturned(ILogger logger, long before, long after);

    public void Dispose() => _pool = NewPool();

    /// <summary>One body's share of the budget, and the buffers it holds.</summary>
    public sealed class Holder(InflightBudget budget, Action evict) : IDisposable
    {
        int _evicted;
        internal LinkedListNode<Holder>? Node { get; set; }
        internal long Bytes { get; set; }

        public bool Evicted => Volatile.Read(ref _evicted) == 1;

        /// <summary>False when the budget is full and nothing older could give way.</summary>
        public bool TryReserve(long bytes) => budget.TryReserve(this, bytes);

        public void Release(long bytes) => budget.Release(this, bytes);

        /// <summary>
        /// A buffer of at least <paramref name="size"/> bytes, its whole length reserved; null when
        /// the budget says no. Small sizes and powers of two come from the pool (which rounds up to a
        /// power of two); any other size is allocated exactly, so a last step to a body's declared
        /// length never reserves up to twice what it needs.
        /// </summary>
        public byte[]? Rent(int size)
        {
            var pooled = IsPooled(size);
            var length = pooled ? (int)Math.Max(16, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)size)) : size;
            if (!TryReserve(length)) return null;
            return pooled ? budget._pool.Rent(size) : GC.AllocateUninitializedArray<byte>(size);
        }

        public void Return(byte[] buffer)
        {
            if (buffer.Length == 0) return;
            if (IsPooled(buffer.Length)) budget._pool.Return(buffer);
            Release(buffer.Length);
        }

        static bool IsPooled(int size) => size <= SmallBuffer || (size <= PooledUpTo && System.Numerics.BitOperations.IsPow2(size));

        internal void Evict()
        {
            if (Interlocked.Exchange(ref _evicted, 1) == 0) evict();
        }

        public void Dispose() => budget.Close(this);
    }
}
