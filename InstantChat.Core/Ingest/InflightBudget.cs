using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace InstantChat.Core.Ingest;

/// <summary>
/// Bounds the memory that webhook bodies being read hold at once (WEBHOOK_MAX_INFLIGHT_BYTES).
/// Bodies are read into fixed-size chunks of this budget's own: a chunk is taken as bytes arrive
/// (never for a declared length) and given back when the body is done, so memory never exceeds the
/// budget and a body that is cut off leaves chunks for the next one rather than garbage. When all
/// chunks are taken, bodies older than the one that needs a chunk give way, oldest first (a body
/// Meta sends arrives within a second; one still trickling in after others came and went is the
/// likely attack); a body that nothing older can make room for is refused. Once a burst is over,
/// the idle chunks are dropped and the heap handed back to the OS.
/// </summary>
public sealed partial class InflightBudget
{
    public const int ChunkSize = 16 * 1024;
    const int ReturnAfterChunks = (int)(64L * 1024 * 1024 / ChunkSize);
    readonly int _maxChunks;
    readonly ILogger<InflightBudget> _logger;
    readonly Lock _gate = new();
    readonly LinkedList<Holder> _holders = new();
    readonly ConcurrentStack<byte[]> _idle = new();
    int _used, _peak, _returning, _allocated;

    public InflightBudget(IOptions<WebhookOptions> options, ILogger<InflightBudget> logger, WebhookMetrics? metrics = null)
    {
        _maxChunks = (int)Math.Min(int.MaxValue, options.Value.MaxInflightBytes / ChunkSize);
        _logger = logger;
        metrics?.ObserveInflight(() => Used);
    }

    /// <summary>Bytes of the chunks bodies hold now.</summary>
    public long Used => (long)Volatile.Read(ref _used) * ChunkSize;

    /// <summary>Starts a body's account; <paramref name="evict"/> is called (once, outside any lock) to make it give way.</summary>
    public Holder Open(Action evict)
    {
        var holder = new Holder(this, evict);
        lock (_gate) holder.Node = _holders.AddLast(holder);
        return holder;
    }

    async ValueTask<byte[]?> TakeAsync(Holder holder, CancellationToken cancellationToken)
    {
        if (!Reserve(holder)) return null;
        // Chunks are never more than the budget: when every chunk exists, the one a body that gave
        // way is about to hand back (its read fails at once) is waited for, briefly.
        var deadline = Environment.TickCount64 + 2_000;
        while (true)
        {
            if (_idle.TryPop(out var chunk)) return chunk;
            if (Interlocked.Increment(ref _allocated) <= _maxChunks) return GC.AllocateUninitializedArray<byte>(ChunkSize);
            Interlocked.Decrement(ref _allocated);
            if (Environment.TickCount64 > deadline)
            {
                lock (_gate)
                {
                    _used -= Math.Min(1, holder.Chunks);
                    holder.Chunks = Math.Max(0, holder.Chunks - 1);
                }
                return null;
            }
            await Task.Delay(1, cancellationToken);
        }
    }

    bool Reserve(Holder holder)
    {
        List<Holder>? evicted = null;
        bool fits;
        lock (_gate)
        {
            if (holder.Node is null) return false;
            // Only bodies older than this one give way: an old body that grows never pushes out a newer one.
            for (var oldest = _holders.First; _used >= _maxChunks && oldest is not null && oldest.Value != holder;)
            {
                var next = oldest.Next;
                if (oldest.Value.Chunks > 0)
                {
                    _used -= oldest.Value.Chunks;
                    oldest.Value.Chunks = 0;
                    oldest.Value.Node = null;
                    _holders.Remove(oldest);
                    (evicted ??= []).Add(oldest.Value);
                }
                oldest = next;
            }
            fits = _used < _maxChunks;
            if (fits)
            {
                _used++;
                holder.Chunks++;
                _peak = Math.Max(_peak, _used);
            }
        }
        foreach (var victim in evicted ?? []) victim.Evict();
        return fits;
    }

    void Give(Holder holder, List<byte[]> chunks)
    {
        bool returnMemory;
        lock (_gate)
        {
            // An evicted holder's count was already taken off; its chunks still come back for reuse.
            _used -= holder.Chunks;
            holder.Chunks = 0;
            if (holder.Node is { } node) _holders.Remove(node);
            holder.Node = null;
            returnMemory = _used == 0 && _peak >= ReturnAfterChunks;
            if (returnMemory) _peak = 0;
        }
        foreach (var chunk in chunks) _idle.Push(chunk);
        if (returnMemory && Interlocked.Exchange(ref _returning, 1) == 0) _ = ReturnMemoryAsync();
    }

    /// <summary>
    /// Once no body has been in flight for a moment after a burst, the idle chunks are dropped and a
    /// compacting collection hands the freed heap back, so RSS returns to its level before the burst.
    /// </summary>
    async Task ReturnMemoryAsync()
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            if (Volatile.Read(ref _used) > ReturnAfterChunks / 4) return;
            var before = Environment.WorkingSet;
            while (_idle.TryPop(out _)) Interlocked.Decrement(ref _allocated);
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

    /// <summary>One body's chunks.</summary>
    public sealed class Holder(InflightBudget budget, Action evict) : IDisposable
    {
        readonly List<byte[]> _chunks = [];
        int _evicted;
        internal LinkedListNode<Holder>? Node { get; set; }
        internal int Chunks { get; set; }

        public bool Evicted => Volatile.Read(ref _evicted) == 1;

        /// <summary>The chunks taken so far, in order.</summary>
        public IReadOnlyList<byte[]> Taken => _chunks;

        /// <summary>One more chunk; null when the budget is spent and nothing older could give way.</summary>
        public async ValueTask<byte[]?> TakeChunkAsync(CancellationToken cancellationToken = default)
        {
            if (await budget.TakeAsync(this, cancellationToken) is not { } chunk) return null;
            _chunks.Add(chunk);
            return chunk;
        }

        internal void Evict()
        {
            if (Interlocked.Exchange(ref _evicted, 1) == 0) evict();
        }

        public void Dispose()
        {
            budget.Give(this, _chunks);
            _chunks.Clear();
        }
    }
}
