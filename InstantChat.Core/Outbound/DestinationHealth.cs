namespace InstantChat.Core.Outbound;

/// <summary>
/// A destination's attempts over a window, from counters the stores keep per minute as attempts are
/// recorded (never a scan of the attempts): how many, how many 2xx, the latest, and a latency
/// histogram for percentiles.
/// </summary>
public sealed record DestinationHealthCounts(long Attempts, long Succeeded, IReadOnlyList<long> Latency, DateTimeOffset? LastAttemptAt, int? LastStatusCode)
{
    /// <summary>Upper bounds (ms) of the latency buckets; the last bucket is everything slower.</summary>
    public static readonly IReadOnlyList<double> BucketBounds = [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, double.PositiveInfinity];

    public static readonly DestinationHealthCounts None = new(0, 0, new long[BucketBounds.Count], null, null);

    public static int BucketOf(double ms)
    {
        for (var i = 0; i < BucketBounds.Count; i++) if (ms <= BucketBounds[i]) return i;
        return BucketBounds.Count - 1;
    }

    /// <summary>Delivered attempts over all attempts; null without attempts.</summary>
    public double? SuccessRate => Attempts == 0 ? null : (double)Succeeded / Attempts;

    /// <summary>The bucket bound under which 95 % of the attempts finished (null without attempts; the slowest bucket reads as 60 s).</summary>
    public double? P95Ms
    {
        get
        {
            var total = Latency.Sum();
            if (total == 0) return null;
            var seen = 0L;
            for (var i = 0; i < Latency.Count; i++)
            {
                seen += Latency[i];
                if (seen >= Math.Ceiling(total * 0.95)) return double.IsInfinity(BucketBounds[i]) ? 60_000 : BucketBounds[i];
            }
            return 60_000;
        }
    }
}

/// <summary>Hourly counters summed into one window per destination (both stores read rows, this adds them).</summary>
public static class DestinationHealthSum
{
    public static IReadOnlyDictionary<string, DestinationHealthCounts> Of(IEnumerable<(string DestinationId, DestinationHealthCounts Hour)> rows) =>
        rows.GroupBy(r => r.DestinationId).ToDictionary(g => g.Key, g =>
        {
            var latency = new long[DestinationHealthCounts.BucketBounds.Count];
            foreach (var (_, h) in g) for (var i = 0; i < Math.Min(latency.Length, h.Latency.Count); i++) latency[i] += h.Latency[i];
            var last = g.Select(r => r.Hour).Where(h => h.LastAttemptAt is not null).MaxBy(h => h.LastAttemptAt);
            return new DestinationHealthCounts(g.Sum(r => r.Hour.Attempts), g.Sum(r => r.Hour.Succeeded), latency, last?.LastAttemptAt, last?.LastStatusCode);
        });
}

/// <summary>One commit's attempts summed per destination and minute: one counter write each, not one per attempt.</summary>
public static class DestinationMinutes
{
    public static IEnumerable<(string DestinationId, long Minute, DestinationHealthCounts Counts)> Of(IEnumerable<(OutboundMessage Message, OutboundAttempt Attempt)> outcomes) =>
        outcomes.GroupBy(o => (o.Message.DestinationId, Minute: o.Attempt.At.ToUnixTimeSeconds() / 60)).Select(g =>
        {
            var latency = new long[DestinationHealthCounts.BucketBounds.Count];
            foreach (var (_, a) in g) latency[DestinationHealthCounts.BucketOf(a.DurationMs)]++;
            var last = g.MaxBy(o => o.Attempt.At).Attempt;
            return (g.Key.DestinationId, g.Key.Minute, new DestinationHealthCounts(g.Count(), g.Count(o => o.Attempt.Succeeded), latency, last.At, last.StatusCode));
        });
}
