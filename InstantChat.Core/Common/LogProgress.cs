namespace InstantChat.Core.Common;

/// <summary>
/// Acknowledged deliveries not processed yet, as this host knows it at no cost: appends add, the
/// processor's commits take away, and the store's own count resets it (at start; every second where
/// several hosts share the log). Read on every delivery to keep the backlog bounded.
/// </summary>
public sealed class LogProgress
{
    long _pending;

    public long Pending => Math.Max(0, Interlocked.Read(ref _pending));

    public void Appended(int deliveries) => Interlocked.Add(ref _pending, deliveries);

    public void Processed(int deliveries) => Interlocked.Add(ref _pending, -deliveries);

    public void Reset(long pending) => Interlocked.Exchange(ref _pending, pending);
}
