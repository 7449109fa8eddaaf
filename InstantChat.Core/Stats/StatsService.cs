using System.Globalization;

namespace InstantChat.Core.Stats;

/// <summary>Turns counters into the report: a fixed number of small reads whatever the number of events.</summary>
public sealed class StatsService(IStatsStore store, Storage.ILogConsumer log, TimeProvider clock)
{
    public async Task<StatsReport> ReportAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var counters = await store.ReadAsync([StatKinds.Total, StatKinds.Status, StatKinds.Type, StatKinds.Platform, StatKinds.ProcessingMsSum, StatKinds.ProcessingCount], cancellationToken);
        long Sum(string kind, string? key = null) => (long)counters.Where(c => c.Kind == kind && (key is null || c.Key == key)).Sum(c => c.Value);
        var byStatus = counters.Where(c => c.Kind == StatKinds.Status).ToDictionary(c => c.Key, c => (long)c.Value);
        var byType = counters.Where(c => c.Kind == StatKinds.Type && c.Value != 0).ToDictionary(c => c.Key, c => (long)c.Value);
        var byPlatform = ByPlatform(counters, Sum(StatKinds.Total));
        var completed = byStatus.GetValueOrDefault("completed");
        var failed = byStatus.GetValueOrDefault("failed");
        var finished = completed + failed;
        var procCount = counters.Where(c => c.Kind == StatKinds.ProcessingCount).Sum(c => c.Value);
        var procSum = counters.Where(c => c.Kind == StatKinds.ProcessingMsSum).Sum(c => c.Value);

        var hourNow = long.Parse(StatDeltas.HourKey(now), CultureInfo.InvariantCulture);
        var weekFrom = (hourNow - 167).ToString(CultureInfo.InvariantCulture);
        var hourTo = hourNow.ToString(CultureInfo.InvariantCulture);
        // Keys are decimal numbers of equal length for centuries, so string ranges are numeric ranges.
        var received = await store.RangeAsync(StatKinds.HourReceived, weekFrom, hourTo, cancellationToken);
        var processed = await store.RangeAsync(StatKinds.HourProcessed, weekFrom, hourTo, cancellationToken);
        var failedHours = await store.RangeAsync(StatKinds.HourFailed, weekFrom, hourTo, cancellationToken);
        var hours = Enumerable.Range(0, 168).Select(i => hourNow - 167 + i).Select(h =>
        {
            var key = h.ToString(CultureInfo.InvariantCulture);
            long V(IReadOnlyList<StatCounter> list) => (long)(list.FirstOrDefault(c => c.Key == key)?.Value ?? 0);
            return new HourBucket(DateTimeOffset.FromUnixTimeSeconds(h * 3600), V(received), V(processed), V(failedHours));
        }).ToList();

        var minuteNow = long.Parse(StatDeltas.MinuteKey(now), CultureInfo.InvariantCulture);
        var minutes = await store.RangeAsync(StatKinds.MinuteProcessed, (minuteNow - 1).ToString(CultureInfo.InvariantCulture), minuteNow.ToString(CultureInfo.InvariantCulture), cancellationToken);
        // The current minute is partial: weigh the previous one by the part of it inside the last 60 s.
        var intoMinute = now.Second / 60.0;
        var lastMinute = minutes.Where(m => m.Key == minuteNow.ToString(CultureInfo.InvariantCulture)).Sum(m => m.Value)
            + minutes.Where(m => m.Key == (minuteNow - 1).ToString(CultureInfo.InvariantCulture)).Sum(m => m.Value) * (1 - intoMinute);

        var latency = await store.RangeAsync(StatKinds.Latency, $"{hourNow - 23}:", $"{hourNow}:~", cancellationToken);
        var top = await store.TopAsync(StatKinds.Account, 20, cancellationToken);
        var senders = await store.TopAsync(StatKinds.Sender, 10, cancellationToken);

        return new StatsReport(
            Sum(StatKinds.Total), byStatus, byType, byPlatform,
            finished == 0 ? 0 : Math.Round((double)completed / finished, 4),
            finished == 0 ? 0 : Math.Round((double)failed / finished, 4),
            procCount == 0 ? 0 : Math.Round(procSum / procCount, 2),
            byStatus.GetValueOrDefault("pending") + byStatus.GetValueOrDefault("processing"),
            Math.Round(lastMinute / 60.0, 2),
            Percentiles(latency),
            top.Select(c => new KeyCount(c.Key, (long)c.Value)).ToList(),
            senders.Select(c => new KeyCount(c.Key, (long)c.Value)).ToList(),
            hours.TakeLast(24).ToList(),
            hours,
            await log.BacklogAsync(cancellationToken));
    }

    /// <summary>Events processed in each of the last 60 minutes, oldest first: one range read of the per-minute counters.</summary>
    public async Task<IReadOnlyList<MinuteBucket>> LastHourAsync(CancellationToken cancellationToken)
    {
        var minuteNow = long.Parse(StatDeltas.MinuteKey(clock.GetUtcNow()), CultureInfo.InvariantCulture);
        var rows = await store.RangeAsync(StatKinds.MinuteProcessed, (minuteNow - 59).ToString(CultureInfo.InvariantCulture),
            minuteNow.ToString(CultureInfo.InvariantCulture), cancellationToken);
        var byMinute = rows.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => (long)g.Sum(r => r.Value));
        return Enumerable.Range(0, 60).Select(i => minuteNow - 59 + i)
            .Select(m => new MinuteBucket(DateTimeOffset.FromUnixTimeSeconds(m * 60), byMinute.GetValueOrDefault(m.ToString(CultureInfo.InvariantCulture))))
            .ToList();
    }

    /// <summary>Events per platform; those counted before platforms were (all Instagram's) count as Instagram's.</summary>
    static Dictionary<string, long> ByPlatform(IReadOnlyList<StatCounter> counters, long total)
    {
        var byPlatform = counters.Where(c => c.Kind == StatKinds.Platform && c.Value != 0).ToDictionary(c => c.Key, c => (long)c.Value);
        var uncounted = total - byPlatform.Values.Sum();
        if (uncounted > 0) byPlatform[EventModel.Platforms.Instagram] = byPlatform.GetValueOrDefault(EventModel.Platforms.Instagram) + uncounted;
        return byPlatform;
    }

    static LatencyReport Percentiles(IReadOnlyList<StatCounter> latency)
    {
        var buckets = new long[StatDeltas.LatencyBounds.Length];
        foreach (var c in latency)
            if (int.TryParse(c.Key[(c.Key.IndexOf(':') + 1)..], CultureInfo.InvariantCulture, out var b) && b >= 0 && b < buckets.Length)
                buckets[b] += (long)c.Value;
        var total = buckets.Sum();
        long? At(double p)
        {
            if (total == 0) return null;
            long seen = 0;
            for (var i = 0; i < buckets.Length; i++)
                if ((seen += buckets[i]) >= p * total) return StatDeltas.LatencyBounds[i] == long.MaxValue ? null : StatDeltas.LatencyBounds[i];
            return null;
        }
        return new LatencyReport(At(0.5), At(0.95), total);
    }
}
