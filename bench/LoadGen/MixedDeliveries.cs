using System.Text;
using System.Text.Json.Nodes;
using InstantChat.Core.Simulation;

/// <summary>
/// Meta-like traffic for the benchmark, built on the product's realistic TrafficGenerator (8 types,
/// unicode text): most deliveries carry 1–5 updates, some are batches of 6–50, a few are
/// 1,000-update batches, and 5 % re-send earlier updates regrouped into a new delivery (Meta's retry
/// shape, which the receiver must recognise as duplicates). Thread-safe: one generator behind a lock.
/// </summary>
sealed class MixedDeliveries(int seed, TimeSpan clockOffset, double duplicateShare = 0.05, double batchShare = 0.08, double hugeShare = 0.0005)
{
    readonly Lock _gate = new();
    readonly Random _random = new(seed);
    // Each generator counts its ids up from its clock's microseconds: generators a day apart never meet.
    readonly TrafficGenerator _generator = new(new Random(seed), new OffsetClock(clockOffset));
    readonly List<byte[]> _recent = [];

    /// <summary>A delivery of one customer message (single-message traffic: no batches, no duplicates).</summary>
    public (byte[] Body, int Updates) NextSingle()
    {
        lock (_gate) return (_generator.NextMessage(), 1);
    }

    /// <summary>A single-update delivery of Instagram, Messenger and WhatsApp in turn (the mixed-platform traffic).</summary>
    public (byte[] Body, int Updates) NextOfEachPlatform()
    {
        lock (_gate) return (_generator.NextMessageOfEachPlatform(), 1);
    }

    /// <summary>The next body to send and how many updates it carries.</summary>
    public (byte[] Body, int Updates) Next()
    {
        lock (_gate)
        {
            var roll = _random.NextDouble();
            if (roll < duplicateShare && _recent.Count >= 2) return Regrouped();
            var target = roll < duplicateShare + hugeShare ? 1_000 : roll < duplicateShare + hugeShare + batchShare ? _random.Next(6, 51) : 0;
            var first = _generator.NextDelivery();
            if (target == 0)
            {
                // The common case, sent as generated (no re-serialisation).
                Remember(first);
                return (first, CountFast(first));
            }
            var entries = Entries(first);
            while (target > 0 && Count(entries) < target)
                foreach (var e in Entries(_generator.NextDelivery())) entries.Add(e!.DeepClone());
            return (Envelope(entries), Count(entries));
        }
    }

    (byte[], int) Regrouped()
    {
        // Two earlier deliveries' updates in one new delivery: every update is a duplicate.
        var entries = new JsonArray();
        foreach (var e in Entries(_recent[_random.Next(_recent.Count)])) entries.Add(e!.DeepClone());
        foreach (var e in Entries(_recent[_random.Next(_recent.Count)])) entries.Add(e!.DeepClone());
        return (Envelope(entries), Count(entries));
    }

    void Remember(byte[] delivery)
    {
        if (_recent.Count == 64) _recent[_random.Next(_recent.Count)] = delivery;
        else _recent.Add(delivery);
    }

    static int CountFast(byte[] delivery)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(delivery);
        var n = 0;
        foreach (var e in doc.RootElement.GetProperty("entry").EnumerateArray())
        {
            if (e.TryGetProperty("messaging", out var m)) n += m.GetArrayLength();
            if (e.TryGetProperty("changes", out var c)) n += c.GetArrayLength();
        }
        return n;
    }

    static JsonArray Entries(byte[] delivery) => (JsonArray)JsonNode.Parse(delivery)!["entry"]!.DeepClone();

    static int Count(JsonArray entries) => entries.Sum(e => ((e!["messaging"] as JsonArray)?.Count ?? 0) + ((e["changes"] as JsonArray)?.Count ?? 0));

    static byte[] Envelope(JsonArray entries) =>
        Encoding.UTF8.GetBytes(new JsonObject { ["object"] = "instagram", ["entry"] = entries }.ToJsonString());
}

/// <summary>The system clock moved by a fixed offset.</summary>
sealed class OffsetClock(TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + offset;
}
