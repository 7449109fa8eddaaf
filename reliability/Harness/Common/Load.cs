using System.Diagnostics;

namespace Reliability.Common;

/// <summary>
/// N senders at a total rate (deliveries/s; 0 = as fast as answers come back), each building its
/// next delivery only after the previous one was acknowledged, as Meta does per subscription.
/// </summary>
sealed class Load
{
    readonly Uri _url;
    readonly int _senders;
    readonly double _rate;
    readonly double _trafficShare;
    readonly double _regroupShare;
    readonly CancellationTokenSource _stopGenerating = new();
    readonly CancellationTokenSource _giveUp = new();
    readonly List<long> _latencies = [];
    Task? _running;

    readonly bool _track;

    public Load(Uri baseAddress, int senders, double rate, double trafficShare = 0.4, double regroupShare = 0.15, bool track = true)
    {
        _track = track;
        _url = new Uri(baseAddress, "/api/webhooks/instagram");
        (_senders, _rate, _trafficShare, _regroupShare) = (senders, rate, trafficShare, regroupShare);
    }

    public string Run { get; } = Guid.NewGuid().ToString("N")[..8];
    public Ledger Ledger { get; } = new();
    public Tally Tally { get; } = new();

    public void Start()
    {
        var client = MetaSender.NewClient(_senders);
        var sender = new MetaSender(client, _url, Tally);
        var clock = Stopwatch.StartNew();
        _running = Task.WhenAll(Enumerable.Range(0, _senders).Select(i => Task.Run(() => SendLoopAsync(i, sender, clock))));
    }

    async Task SendLoopAsync(int index, MetaSender sender, Stopwatch clock)
    {
        var mix = new DeliveryMix(Run, index, _trafficShare, _regroupShare, _track);
        var interval = _rate > 0 ? _senders / _rate : 0;
        var next = interval * index / _senders;
        while (!_stopGenerating.IsCancellationRequested)
        {
            if (interval > 0)
            {
                var wait = next - clock.Elapsed.TotalSeconds;
                if (wait > 0)
                {
                    try { await Task.Delay(TimeSpan.FromSeconds(wait), _stopGenerating.Token); }
                    catch (OperationCanceledException) { break; }
                }
                // Behind schedule (an outage, a restart): carry on from now, do not burst to catch up.
                next = Math.Max(next + interval, clock.Elapsed.TotalSeconds);
            }
            var delivery = mix.Next();
            Ledger.Generated(delivery);
            var started = Stopwatch.GetTimestamp();
            var ok = await sender.DeliverAsync(delivery.Body, _giveUp.Token);
            Ledger.Outcome(delivery, ok);
            if (!ok) break;
            mix.Acknowledged(delivery);
            var ms = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            lock (_latencies) _latencies.Add(ms);
        }
    }

    /// <summary>No new deliveries; those in flight keep being re-sent until accepted or <paramref name="giveUpAfter"/>.</summary>
    public async Task<bool> StopAsync(TimeSpan giveUpAfter)
    {
        _stopGenerating.Cancel();
        _giveUp.CancelAfter(giveUpAfter);
        await _running!;
        return !_giveUp.IsCancellationRequested || Ledger.UnackedDeliveries == 0;
    }

    /// <summary>Acknowledgement time per delivery including re-sends: p50, p99, max in ms.</summary>
    public (long P50, long P99, long Max) Latency()
    {
        long[] all;
        lock (_latencies) all = [.. _latencies.Order()];
        if (all.Length == 0) return (0, 0, 0);
        return (all[all.Length / 2], all[Math.Min(all.Length - 1, (int)(all.Length * 0.99))], all[^1]);
    }
}
