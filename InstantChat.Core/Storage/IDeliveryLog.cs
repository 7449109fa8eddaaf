namespace InstantChat.Core.Storage;

/// <summary>A delivery as acknowledged: its bytes and what its signature vouched for, nothing derived yet.</summary>
/// <param name="Vouched">The accounts a subscription's secret vouched for; null when an app secret (or no check) accepted it.</param>
public sealed record LogAppend(string DeliveryId, DateTimeOffset ReceivedAt, string? ContentType, ReadOnlyMemory<byte> Body, IReadOnlyCollection<string>? Vouched);

/// <summary>An acknowledged delivery read back from the log, in log order (<paramref name="Seq"/>: its position where the log numbers them).</summary>
public sealed record LogEntry(long Seq, string DeliveryId, DateTimeOffset ReceivedAt, string? ContentType, byte[] Body, IReadOnlySet<string>? Vouched);

/// <summary>How far behind processing is: acknowledged deliveries not processed yet, and the age of the oldest.</summary>
public sealed record Backlog(long Deliveries, double OldestAgeMs)
{
    public static readonly Backlog Empty = new(0, 0);
}

/// <summary>
/// The delivery log: the source of truth. A delivery is acknowledged once it is appended here
/// (group commit, fsynced); events, threads, stats and outbound messages are all derived from it by
/// the processor, exactly once. Appends are the only writes on the acknowledgement's path.
/// </summary>
public interface IDeliveryLog
{
    /// <summary>
    /// Appends every delivery in one durable commit, in order; returns their sequence numbers.
    /// Throws <see cref="StoreUnavailableException"/> when nothing could be stored.
    /// </summary>
    Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<LogAppend> deliveries, CancellationToken cancellationToken);
}

/// <summary>A run of logged deliveries that one processor holds until it commits what it made of them.</summary>
public sealed record LogBatch(IReadOnlyList<LogEntry> Entries)
{
    public static readonly LogBatch Empty = new([]);
}

/// <summary>
/// The processor's side of the log: the next acknowledged deliveries in log order that no other
/// processor holds, and how far behind processing is.
/// </summary>
public interface ILogConsumer
{
    /// <summary>
    /// Up to <paramref name="maxDeliveries"/> deliveries (and about <paramref name="maxBytes"/>) after
    /// the ones this consumer holds: the next batch may be taken while the previous one commits.
    /// </summary>
    Task<LogBatch> TakeAsync(int maxDeliveries, long maxBytes, CancellationToken cancellationToken);

    /// <summary>
    /// A commit failed: every batch taken and not committed is given back, and the next take starts
    /// after the last commit (batches must commit in the order they were taken).
    /// </summary>
    void Abandon();

    Task<Backlog> BacklogAsync(CancellationToken cancellationToken);

    /// <summary>
    /// After the commit of <paramref name="taken"/>: the bytes of deliveries that brought nothing
    /// new (<paramref name="replays"/>; their records point to the first one) need not stay in the log.
    /// Where the commit does this itself, nothing is left to do.
    /// </summary>
    Task ForgetReplaysAsync(LogBatch taken, IReadOnlyList<LogEntry> replays, CancellationToken cancellationToken);
}
