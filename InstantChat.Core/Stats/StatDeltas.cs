using InstantChat.Core.EventModel;
using InstantChat.Core.Ingest;

namespace InstantChat.Core.Stats;

/// <summary>
/// Counter changes that a write implies, gathered in memory and applied by the store in the same
/// write (one upsert per distinct counter). Stats read only these counters, never the events, so
/// their cost does not grow with the number of events.
/// </summary>
public sealed class StatDeltas
{
    /// <summary>Upper bounds (ms) of the received→processed latency buckets; the last is open-ended.</summary>
    public static readonly long[] LatencyBounds = [10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000, 3_600_000, long.MaxValue];

    readonly Dictionary<(string Kind, string Key), double> _deltas = [];

    public IReadOnlyDictionary<(string Kind, string Key), double> Deltas => _deltas;
    public bool IsEmpty => _deltas.Count == 0;

    void Add(string kind, string key, double delta) =>
        _deltas[(kind, key)] = _deltas.GetValueOrDefault((kind, key)) + delta;

    public StatDeltas Received(IEnumerable<WebhookEvent> events)
    {
        foreach (var e in events)
        {
            Add(StatKinds.Total, "", 1);
            Add(StatKinds.Status, e.ProcessedStatus.ToWire(), 1);
            Add(StatKinds.Type, e.EventType, 1);
            Add(StatKinds.Platform, e.Platform, 1);
            if (e.AccountId is { } account) Add(StatKinds.Account, account, 1);
            if (e.SenderId is { } sender) Add(StatKinds.Sender, sender, 1);
            Add(StatKinds.HourReceived, HourKey(e.ReceivedAt), 1);
        }
        return this;
    }

    /// <summary>Events that left one status for another (claims, retries put back, manual requeues).</summary>
    public StatDeltas Moved(ProcessingStatus from, ProcessingStatus to, int count)
    {
        if (count == 0 || from == to) return this;
        Add(StatKinds.Status, from.ToWire(), -count);
        Add(StatKinds.Status, to.ToWire(), count);
        return this;
    }

    /// <summary>An attempt's outcome written for an event that was processing.</summary>
    public StatDeltas Finished(WebhookEvent e, ProcessingStatus outcome, DateTimeOffset finishedAt, double processingMs)
    {
        Moved(ProcessingStatus.Processing, outcome, 1);
        return Attempted(e, outcome, finishedAt, processingMs);
    }

    /// <summary>
    /// Events stored with their first attempt already made (the processor's): counted as received in
    /// the status they ended in, and as attempted.
    /// </summary>
    public StatDeltas ReceivedAndAttempted(IEnumerable<WebhookEvent> events)
    {
        foreach (var e in events)
        {
            Received([e]);
            if (e.Attempts > 0) Attempted(e, e.ProcessedStatus, e.ProcessedAt ?? e.ReceivedAt, e.ProcessingMs ?? 0);
        }
        return this;
    }

    StatDeltas Attempted(WebhookEvent e, ProcessingStatus outcome, DateTimeOffset finishedAt, double processingMs)
    {
        Add(StatKinds.ProcessingMsSum, "", processingMs);
        Add(StatKinds.ProcessingCount, "", 1);
        if (outcome == ProcessingStatus.Pending) return this; // a retry is coming; not processed yet
        Add(StatKinds.MinuteProcessed, MinuteKey(finishedAt), 1);
        Add(outcome == ProcessingStatus.Failed ? StatKinds.HourFailed : StatKinds.HourProcessed, HourKey(finishedAt), 1);
        if (outcome == ProcessingStatus.Failed) Add(StatKinds.MinuteFailed, MinuteKey(finishedAt), 1); // the failed-events alert
        var latency = (long)Math.Max(0, (finishedAt - e.ReceivedAt).TotalMilliseconds);
        Add(StatKinds.Latency, $"{HourKey(finishedAt)}:{Array.FindIndex(LatencyBounds, b => latency <= b)}", 1);
        return this;
    }

    public static string HourKey(DateTimeOffset t) => (t.ToUnixTimeSeconds() / 3600).ToString(System.Globalization.CultureInfo.InvariantCulture);
    public static string MinuteKey(DateTimeOffset t) => (t.ToUnixTimeSeconds() / 60).ToString(System.Globalization.CultureInfo.InvariantCulture);
}

public static class StatKinds
{
    public const string Total = "total";
    public const string Status = "status";
    public const string Type = "type";
    public const string Platform = "platform";
    public const string Account = "account";
    public const string Sender = "sender";
    public const string HourReceived = "hour_received";
    public const string HourProcessed = "hour_processed";
    public const string HourFailed = "hour_failed";
    public const string MinuteProcessed = "minute_processed";
    public const string MinuteFailed = "minute_failed";
    public const string Latency = "latency";
    public const string ProcessingMsSum = "processing_ms_sum";
    public const string ProcessingCount = "processing_count";
}
