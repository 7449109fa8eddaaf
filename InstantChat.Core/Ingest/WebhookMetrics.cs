using InstantChat.Core.EventModel;
using System.Diagnostics.Metrics;

namespace InstantChat.Core.Ingest;

/// <summary>
/// The product's own instruments (System.Diagnostics.Metrics). The host exports them; Core only
/// records: deliveries by outcome, events by type and status, ack and processing latency, retries,
/// and the queue depth as last measured.
/// </summary>
public sealed class WebhookMetrics : IDisposable
{
    public const string MeterName = "InstantChat.Webhooks";
    readonly Meter _meter;
    readonly Counter<long> _deliveries;
    readonly Counter<long> _events;
    readonly Counter<long> _retries;
    readonly Histogram<double> _ackMs;
    readonly Histogram<double> _processingMs;
    long _queueDepth;

    public WebhookMetrics(IMeterFactory meters)
    {
        _meter = meters.Create(MeterName);
        _deliveries = _meter.CreateCounter<long>("instantchat.deliveries", "{delivery}", "Webhook deliveries by outcome (accepted, unauthorized, too_large, unavailable).");
        _events = _meter.CreateCounter<long>("instantchat.events", "{event}", "Events by type and status: received when stored, then each final status.");
        _retries = _meter.CreateCounter<long>("instantchat.retries", "{attempt}", "Failed attempts that were scheduled for another try.");
        _ackMs = _meter.CreateHistogram<double>("instantchat.ack.duration", "ms", "From request start to the acknowledgement of a delivery.");
        _processingMs = _meter.CreateHistogram<double>("instantchat.processing.duration", "ms", "Handler time per processing attempt.");
        _meter.CreateObservableGauge("instantchat.queue.depth", () => Interlocked.Read(ref _queueDepth), "{event}", "Events pending or processing, as last measured.");
    }

    public void Delivery(string outcome, double ackMs)
    {
        _deliveries.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (outcome == "accepted") _ackMs.Record(ackMs);
        else if (outcome == "unauthorized") Refusals.Add(DateTimeOffset.UtcNow);
    }

    /// <summary>Deliveries refused for their signature on this host, per second over the last minutes (the alert rule reads it).</summary>
    public Common.RecentCounts Refusals { get; } = new();

    public void Events(IEnumerable<WebhookEvent> events, string status)
    {
        foreach (var e in events)
            _events.Add(1, new("type", e.EventType), new("status", status));
    }

    public void Attempt(string eventType, ProcessingStatus outcome, double ms)
    {
        _processingMs.Record(ms, new KeyValuePair<string, object?>("type", eventType));
        if (outcome == ProcessingStatus.Pending) _retries.Add(1, new KeyValuePair<string, object?>("type", eventType));
        else _events.Add(1, new("type", eventType), new("status", outcome.ToWire()));
    }

    public void QueueDepth(long depth) => Interlocked.Exchange(ref _queueDepth, depth);

    public void ObserveInflight(Func<long> bytes) =>
        _meter.CreateObservableGauge("instantchat.webhook.inflight_bytes", bytes, "By", "Bytes of webhook bodies being read (WEBHOOK_MAX_INFLIGHT_BYTES bounds them).");

    public void Dispose() => _meter.Dispose();
}
