namespace Reliability.Common;

/// <summary>
/// What was sent and what was acknowledged, by deduplication key. A delivery still unacknowledged
/// when its sender gave up may or may not be stored: its keys are allowed, never required.
/// </summary>
sealed class Ledger
{
    readonly Lock _gate = new();
    readonly HashSet<string> _acked = new(StringComparer.Ordinal);
    readonly HashSet<string> _unacked = new(StringComparer.Ordinal);
    readonly HashSet<string> _coreMids = new(StringComparer.Ordinal);
    readonly HashSet<string> _generated = new(StringComparer.Ordinal);
    readonly List<(DateTime At, string[] Keys)> _acks = [];
    readonly List<string> _regroupViolations = [];

    public long Deliveries { get; private set; }
    public long AckedDeliveries { get; private set; }
    public long Updates { get; private set; }
    public long Regrouped { get; private set; }
    public long Traffic { get; private set; }

    /// <summary>Called when a delivery is built, before it is first sent.</summary>
    public void Generated(Outgoing d)
    {
        lock (_gate)
        {
            // A regrouped delivery must name only keys already generated (plus its new messages):
            // a new key here would mean the same update gets stored twice.
            var coreKeys = d.CoreMids.Select(CoreKey).ToHashSet(StringComparer.Ordinal);
            var fresh = d.Keys.Where(k => !_generated.Contains(k) && !coreKeys.Contains(k)).ToList(); // not Except: it would copy _generated every time
            if (d.Kind == "regrouped" && fresh.Count > 0 && _regroupViolations.Count < 20)
                _regroupViolations.Add($"regrouped updates parsed to new keys: {string.Join(", ", fresh.Take(3))}");
            _generated.UnionWith(d.Keys);
            Deliveries++;
            Updates += d.Keys.Length;
            if (d.Kind == "regrouped") Regrouped++;
            if (d.Kind == "traffic") Traffic++;
        }
    }

    public void Outcome(Outgoing d, bool acknowledged)
    {
        lock (_gate)
        {
            if (acknowledged)
            {
                _acked.UnionWith(d.Keys);
                _coreMids.UnionWith(d.CoreMids);
                _acks.Add((DateTime.UtcNow, d.Keys));
                AckedDeliveries++;
            }
            else _unacked.UnionWith(d.Keys);
        }
    }

    public static string CoreKey(string mid) => $"{DeliveryMix.CoreAccount}:messages:{mid}";

    public HashSet<string> AckedKeys { get { lock (_gate) return [.. _acked]; } }
    public HashSet<string> AckedKeysSince(DateTime since) { lock (_gate) return [.. _acks.Where(a => a.At >= since).SelectMany(a => a.Keys)]; }
    public HashSet<string> UnackedKeys { get { lock (_gate) return [.. _unacked.Except(_acked)]; } }
    public HashSet<string> GeneratedKeys { get { lock (_gate) return [.. _generated]; } }
    public IReadOnlyCollection<string> CoreMids { get { lock (_gate) return [.. _coreMids]; } }
    public IReadOnlyList<string> RegroupViolations { get { lock (_gate) return [.. _regroupViolations]; } }
    public long UnackedDeliveries { get { lock (_gate) return Deliveries - AckedDeliveries; } }
}
