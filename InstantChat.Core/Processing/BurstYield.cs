using InstantChat.Core.Common;

namespace InstantChat.Core.Processing;

/// <summary>
/// While a burst lasts, processing stands aside and catches up behind it: the acknowledgements get
/// the whole CPU (bench/RESULTS.md, "The acknowledgement, third pass": even at SCHED_IDLE the
/// processor's idle-gap work and its collections cost the acknowledgements 0.72–0.78 of the ceiling;
/// standing aside, 0.90–0.96). A burst: <see cref="LogProgress.BurstBacklog"/> or more deliveries
/// waiting while new ones keep arriving (at least one a millisecond). It stands aside only until
/// the backlog reaches a quarter of WEBHOOK_MAX_BACKLOG, so a load the host cannot sustain still
/// gets processed before new deliveries are refused.
/// </summary>
public sealed class BurstYield(LogProgress progress, long maxBacklog, TimeProvider clock)
{
    /// <summary>How long processing stands aside before it looks again.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    /// <summary>Appends during one step that mean the burst goes on: 1,000 deliveries a second.</summary>
    public const int StillArriving = 50;

    long Ceiling => Math.Max(LogProgress.BurstBacklog, maxBacklog / 4);

    /// <summary>True when a burst's backlog waits and it may still grow before processing must run.</summary>
    public bool Waiting => progress.Pending >= LogProgress.BurstBacklog && progress.Pending < Ceiling;

    /// <summary>
    /// Outside a burst: false at once. In one: waits a <see cref="Step"/>, then true when deliveries
    /// kept arriving (stand aside again), false when they stopped (process now).
    /// </summary>
    public async ValueTask<bool> StandAsideAsync(CancellationToken cancellationToken)
    {
        if (!Waiting) return false;
        var mark = progress.Mark;
        await Task.Delay(Step, clock, cancellationToken);
        return progress.Mark - mark >= StillArriving && Waiting;
    }
}
