namespace InstantChat.Core.Processing;

/// <summary>
/// When the next attempt is due after a failure: base × 2^(attempt−1), capped, with ±20 % jitter
/// so a burst of failures does not retry in lockstep. Data, not a sleeping thread: the time is stored.
/// </summary>
public sealed class RetrySchedule(TimeSpan baseDelay, int maxAttempts, TimeProvider clock, Random? random = null)
{
    static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);
    readonly Random _random = random ?? Random.Shared;

    public int MaxAttempts => maxAttempts;

    /// <summary>The delay after failed attempt number <paramref name="attempt"/> (1-based), before jitter.</summary>
    public TimeSpan BaseDelayAfter(int attempt) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1))));

    /// <summary>When to try again after attempt <paramref name="attempt"/> failed, or null when it was the last one.</summary>
    public DateTimeOffset? NextAttemptAfter(int attempt, int? attemptsOverride = null)
    {
        if (attempt >= (attemptsOverride ?? maxAttempts)) return null;
        var jitter = 0.8 + 0.4 * _random.NextDouble();
        return clock.GetUtcNow() + BaseDelayAfter(attempt) * jitter;
    }
}
