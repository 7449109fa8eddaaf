namespace InstantChat.Core.Common;

/// <summary>
/// Wakes a background loop as soon as there is work, so the happy path has no polling delay; many
/// notifications while it is busy collapse into one wake-up.
/// </summary>
public abstract class WakeSignal
{
    readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try { _signal.Release(); } catch (SemaphoreFullException) { } // already signalled
    }

    /// <summary>True when notified, false when the timeout (the safety-net poll) passed first.</summary>
    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);
}
