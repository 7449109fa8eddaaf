namespace InstantChat.Core.Common;

/// <summary>
/// Acknowledged deliveries not processed yet, as this host knows it at no cost: appends add, the
/// processor's commits take away, and the store's own count resets it (at start; every couple of
/// seconds where several hosts share the log). Read on every delivery to keep the backlog bounded.
/// </summary>
public sealed class LogProgress
{
    /// <summary>
    /// Deliveries waiting that mean a burst (about a second of processing): the background lane then
    /// gives the CPU to the acknowledgements, and the store's checkpoints wait.
    /// </summary>
    public const long BurstBacklog = 5_000;

    long _pending;
    long _appended; // every append since start: what a reset must not lose

    public long Pending => Math.Max(0, Interlocked.Read(ref _pending));

    /// <summary>Taken before reading the store's count, handed to <see cref="Reset"/> with it.</summary>
    public long Mark => Interlocked.Read(ref _appended);

    public void Appended(int deliveries)
    {
        Interlocked.Add(ref _appended, deliveries);
        Interlocked.Add(ref _pending, deliveries);
    }

    public void Processed(int deliveries) => Interlocked.Add(ref _pending, -deliveries);

    /// <summary>
    /// The store's count, read after <paramref name="mark"/>, plus what was appended since: under a
    /// full burst a plain reset to a count read a moment ago dropped those appends and let the
    /// backlog past its bound (reliability/ backlog). Appends the store's count already held are
    /// counted twice, and processing since is not taken off: an overestimate for a couple of
    /// seconds, the safe side of a bound, corrected by the next reset.
    /// </summary>
    public void Reset(long stored, long mark) => Interlocked.Exchange(ref _pending, stored + Math.Max(0, Mark - mark));
}
