namespace InstantChat.Core.Common;

/// <summary>Counts per second over the last <see cref="Seconds"/> seconds, without locks or growth: one slot per second, reused.</summary>
public sealed class RecentCounts
{
    public const int Seconds = 600;
    readonly long[] _second = new long[Seconds];
    readonly long[] _count = new long[Seconds];

    public void Add(DateTimeOffset at)
    {
        var second = at.ToUnixTimeSeconds();
        var slot = (int)(second % Seconds);
        if (Interlocked.Exchange(ref _second[slot], second) != second) Interlocked.Exchange(ref _count[slot], 0);
        Interlocked.Increment(ref _count[slot]);
    }

    /// <summary>How many in the <paramref name="window"/> up to <paramref name="now"/> (at most <see cref="Seconds"/>).</summary>
    public long Since(DateTimeOffset now, TimeSpan window)
    {
        var to = now.ToUnixTimeSeconds();
        var from = to - (long)Math.Min(window.TotalSeconds, Seconds - 1);
        long sum = 0;
        for (var i = 0; i < Seconds; i++)
            if (Volatile.Read(ref _second[i]) is var s && s > from && s <= to) sum += Volatile.Read(ref _count[i]);
        return sum;
    }
}
