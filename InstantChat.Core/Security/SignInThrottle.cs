namespace InstantChat.Core.Security;

/// <summary>
/// Growing delays between sign-in attempts, per key (a client address, a username, a trusted
/// device). The first <see cref="FreeAttempts"/> attempts of a key are free; after that each
/// attempt must wait 1 s, 2 s, 4 s … (at most <see cref="MaxDelay"/>) after the previous one.
/// Nothing is ever locked: a key forgets its attempts after a success or <see cref="ForgetAfter"/>
/// without attempts. The state is in memory, per host, and bounded: when full, the keys with the
/// fewest attempts go first, so a flood of random usernames cannot flush a throttled one.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int FreeAttempts = 5;
    public static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(30);
    public const int Capacity = 50_000;

    sealed class Entry
    {
        public int Attempts;
        public DateTimeOffset LastAttempt;
        public DateTimeOffset NextAllowed;
    }

    // One lock over all keys: an attempt checks and reserves several keys at once, and a sign-in
    // costs a 100 ms hash, so these microseconds never contend.
    readonly Lock _gate = new();
    readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public int Count { get { lock (_gate) return _entries.Count; } }

    /// <summary>The wait after the given number of attempts.</summary>
    public static TimeSpan DelayAfter(int attempts) =>
        attempts < FreeAttempts ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempts - FreeAttempts), MaxDelay.TotalSeconds));

    /// <summary>
    /// Starts an attempt when none of the keys is waiting, and counts it against each (before the
    /// password is checked, so concurrent attempts cannot slip in together); otherwise says how long to wait.
    /// </summary>
    public bool TryStart(IReadOnlyList<string> keys, out TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var now = clock.GetUtcNow();
            retryAfter = TimeSpan.Zero;
            foreach (var key in keys)
                if (Live(key, now) is { } e && e.NextAllowed - now > retryAfter) retryAfter = e.NextAllowed - now;
            if (retryAfter > TimeSpan.Zero) return false;
            foreach (var key in keys)
            {
                if (Live(key, now) is not { } e)
                {
                    if (_entries.Count >= Capacity) Shrink(now);
                    _entries[key] = e = new Entry();
                }
                e.Attempts++;
                e.LastAttempt = now;
                e.NextAllowed = now + DelayAfter(e.Attempts);
            }
            return true;
        }
    }

    /// <summary>A successful sign-in: the keys start afresh.</summary>
    public void Succeeded(IReadOnlyList<string> keys)
    {
        lock (_gate)
            foreach (var key in keys) _entries.Remove(key);
    }

    Entry? Live(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var e)) return null;
        if (now - e.LastAttempt < ForgetAfter) return e;
        _entries.Remove(key);
        return null;
    }

    /// <summary>Drops the idle keys, then the least-tried ones, down to nine tenths of the capacity.</summary>
    void Shrink(DateTimeOffset now)
    {
        foreach (var (key, e) in _entries)
            if (now - e.LastAttempt >= ForgetAfter) _entries.Remove(key);
        var excess = _entries.Count - Capacity * 9 / 10;
        if (excess <= 0) return;
        foreach (var key in _entries.OrderBy(p => p.Value.Attempts).ThenBy(p => p.Value.LastAttempt).Take(excess).Select(p => p.Key).ToList())
            _entries.Remove(key);
    }
}
