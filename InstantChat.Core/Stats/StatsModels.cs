namespace InstantChat.Core.Stats;

/// <summary>A counter as stored: kind ("status", "type", "hour_received"…), key and value.</summary>
public sealed record StatCounter(string Kind, string Key, double Value);

/// <summary>Reads counters only: by kind, by kind and key range, and the largest of a kind.</summary>
public interface IStatsStore
{
    Task<IReadOnlyList<StatCounter>> ReadAsync(IReadOnlyCollection<string> kinds, CancellationToken cancellationToken);
    Task<IReadOnlyList<StatCounter>> RangeAsync(string kind, string fromKey, string toKey, CancellationToken cancellationToken);
    Task<IReadOnlyList<StatCounter>> TopAsync(string kind, int count, CancellationToken cancellationToken);
}

public sealed record StatsReport(
    long Total,
    IReadOnlyDictionary<string, long> ByStatus,
    IReadOnlyDictionary<string, long> ByType,
    IReadOnlyDictionary<string, long> ByPlatform,
    double SuccessRate,
    double ErrorRate,
    double AverageProcessingMs,
    long QueueLength,
    double ThroughputPerSecond,
    LatencyReport Latency,
    IReadOnlyList<KeyCount> EventsPerAccount,
    IReadOnlyList<KeyCount> TopSenders,
    IReadOnlyList<HourBucket> Last24Hours,
    IReadOnlyList<HourBucket> Last7Days,
    Storage.Backlog Backlog);

/// <summary>Received→processed latency over the last 24 h; bucket upper bounds, so p50 ≤ value.</summary>
public sealed record LatencyReport(long? P50Ms, long? P95Ms, long Samples);

public sealed record KeyCount(string Key, long Count);

public sealed record HourBucket(DateTimeOffset Hour, long Received, long Processed, long Failed);

public sealed record MinuteBucket(DateTimeOffset Minute, long Processed);
