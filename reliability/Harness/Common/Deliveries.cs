using System.Text;
using System.Text.Json.Nodes;
using InstantChat.Core.Parsing;
using InstantChat.Core.Simulation;
using InstantChat.Core.EventModel;

namespace Reliability.Common;

/// <summary>One update as it sits in an envelope: the entry's account, its array and the item.</summary>
sealed record Update(string Account, string Array, JsonNode Item);

/// <summary>A delivery body with the keys the product must store its updates under.</summary>
sealed record Outgoing(byte[] Body, string[] Keys, string[] CoreMids, string Kind, List<Update> Updates, string[] ReusedKeys);

/// <summary>
/// One sender's deliveries: plain messages with known mids (the simplest thing to verify), the
/// simulator's realistic mixed traffic, and Meta-style duplicates (updates already acknowledged,
/// regrouped into a new delivery). Keys come from the product's own parser over the exact bytes sent.
/// </summary>
sealed class DeliveryMix
{
    public const string CoreAccount = "17841400000000777";
    static readonly MetaParser Parser = new();

    readonly string _run;
    readonly int _sender;
    readonly Random _random;
    readonly TrafficGenerator _traffic;
    readonly double _trafficShare;
    readonly double _regroupShare;
    readonly List<(Update Update, string Key)> _history = [];
    int _n;

    readonly bool _track;

    /// <param name="track">false: no keys (no parse, no history), for load where only the answers count.</param>
    public DeliveryMix(string run, int sender, double trafficShare, double regroupShare, bool track = true)
    {
        _track = track;
        _run = run;
        _sender = sender;
        _random = new Random(HashCode.Combine(run, sender));
        _traffic = new TrafficGenerator(new Random(HashCode.Combine(sender, run, 7)), TimeProvider.System);
        _trafficShare = trafficShare;
        _regroupShare = regroupShare;
    }

    public Outgoing Next()
    {
        var roll = _random.NextDouble();
        if (roll < _regroupShare && _history.Count >= 4) return Regrouped();
        if (!_track) return new Outgoing(_traffic.NextDelivery(), [], [], "traffic", [], []);
        if (roll < _regroupShare + _trafficShare) return FromBody(_traffic.NextDelivery(), "traffic", [], []);
        var count = 1 + _random.Next(5);
        var updates = new List<Update>();
        var mids = new List<string>();
        for (var i = 0; i < count; i++) updates.Add(CoreMessage(mids));
        return FromBody(Envelope(updates), "core", [.. mids], []);
    }

    /// <summary>Only acknowledged updates are regrouped later, as Meta re-sends what it sent.</summary>
    public void Acknowledged(Outgoing delivery)
    {
        var keys = delivery.Keys;
        if (keys.Length != delivery.Updates.Count) return; // cannot pair updates with keys: do not reuse
        for (var i = 0; i < keys.Length; i++)
        {
            if (_history.Count >= 400) _history.RemoveAt(_random.Next(_history.Count));
            _history.Add((delivery.Updates[i], keys[i]));
        }
    }

    Outgoing Regrouped()
    {
        var picked = _history.OrderBy(_ => _random.Next()).Take(2 + _random.Next(5)).ToList();
        var mids = new List<string>();
        var updates = picked.Select(p => p.Update with { Item = p.Update.Item.DeepClone() }).ToList();
        for (var i = _random.Next(3); i > 0; i--) updates.Insert(_random.Next(updates.Count + 1), CoreMessage(mids));
        return FromBody(Envelope(updates), "regrouped", [.. mids], [.. picked.Select(p => p.Key)]);
    }

    Update CoreMessage(List<string> mids)
    {
        var mid = $"rel-{_run}-{_sender}-{_n++}";
        mids.Add(mid);
        var item = new JsonObject
        {
            ["sender"] = new JsonObject { ["id"] = $"9100{_sender:D4}" },
            ["recipient"] = new JsonObject { ["id"] = CoreAccount },
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["message"] = new JsonObject { ["mid"] = mid, ["text"] = $"reliability {mid}: héllo ✓ 👋" },
        };
        return new Update(CoreAccount, "messaging", item);
    }

    static Outgoing FromBody(byte[] body, string kind, string[] mids, string[] reused)
    {
        var events = Parser.Parse(body, "d", DateTimeOffset.UtcNow);
        var keys = events.Select(e => e.DeduplicationKey).ToArray();
        if (events.Any(e => e.EventType == EventTypes.Unknown))
            throw new InvalidOperationException($"the harness built an unparseable {kind} delivery: {Encoding.UTF8.GetString(body)}");
        return new Outgoing(body, keys, mids, kind, Updates(body), reused);
    }

    /// <summary>The updates of a body, in the parser's order (entries in order, arrays in order, items in order).</summary>
    static List<Update> Updates(byte[] body)
    {
        var updates = new List<Update>();
        var root = JsonNode.Parse(body)!.AsObject();
        foreach (var entry in root["entry"]!.AsArray())
        {
            var account = entry!["id"]!.ToString();
            foreach (var (name, value) in entry.AsObject())
                if (value is JsonArray items)
                    foreach (var item in items) updates.Add(new Update(account, name, item!.DeepClone()));
        }
        return updates;
    }

    // The default encoder (unlike the simulator's relaxed one) \u-escapes all non-ASCII text: a regrouped
    // simulator update then arrives re-escaped, which its hash-based key (referrals) must survive.
    public static byte[] Envelope(IEnumerable<Update> updates) =>
        InstagramEnvelope.Serialize(updates.Select(u => (u.Account, u.Array, u.Item)), DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
}
