namespace InstantChat.Core.Common;

/// <summary>
/// Wakes a background loop as soon as there is work, so the happy path has no polling delay; many
/// notifications while it is busy collapse into one wake-up. A notification when one is already
/// pending costs one interlocked read (it was a caught SemaphoreFullException: thousands a second
/// under load).
/// </summary>
public abstract class WakeSignal
{
    readonly SemaphoreSlim _signal = new(0, 1);
    int _pending;

    public void Notify()
    {
        if (Volatile.Read(ref _pending) == 0 && Interlocked.Exchange(ref _pending, 1) == 0) _signal.Release();
    }

    /// <summary>True when notified, false when the timeout (the safety-net poll) passed first.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (!await _signal.WaitAsync(timeout, cancellationToken)) return false;
        // Cleared before the loop works: a notification from now on wakes it again.
        Volatile.Write(ref _pending, 0);
        return true;
    }
}
