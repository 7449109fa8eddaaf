namespace InstantChat.Core.Outbound;

/// <summary>
/// When each attempt at a message is made, as data: at once, then 5 s, 5 min, 30 min, 2 h, 5 h,
/// 10 h and 10 h later — about 28 h in all, Svix's schedule: a receiver that is down for a deploy
/// gets everything seconds later, one that is down for a day still gets it, and nothing is kept
/// pending for longer than Meta itself retries (36 h). Each delay gets ±20 % jitter so messages
/// that failed together do not return together. After the last attempt the message is failed and
/// kept (retry by hand, or replay).
/// </summary>
public static class OutboundSchedule
{
    public static readonly IReadOnlyList<TimeSpan> Delays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    /// <summary>Attempts in all: the first, then one after each delay.</summary>
    public static int MaxAttempts => Delays.Count + 1;

    /// <summary>The wait after attempt number <paramref name="attempts"/> failed; null after the last.</summary>
    public static TimeSpan? After(int attempts, double jitter01)
    {
        if (attempts < 1 || attempts > Delays.Count) return null;
        var delay = Delays[attempts - 1];
        return delay * (0.8 + 0.4 * jitter01);
    }
}
