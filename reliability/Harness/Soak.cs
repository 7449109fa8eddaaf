using System.Diagnostics;
using System.Globalization;
using Reliability.Common;

namespace Reliability;

/// <summary>
/// Realistic traffic (the simulator's mix) at half the measured capacity for a long time: the
/// product's resident memory must not trend upward, and nothing may fail. Capacity is measured
/// first by a probe: deliveries acknowledged at full speed, divided by the time until everything
/// they brought was also processed (ingest and processing share the two cores).
/// </summary>
static class Soak
{
    public static async Task<int> RunAsync(Args a)
    {
        var seconds = a.Dbl("seconds", 600);
        var rate = a.Dbl("rate", 0);
        var probeSeconds = a.Dbl("probe-seconds", 15);
        var senders = a.Int("senders", 32);
        var sampleEvery = TimeSpan.FromSeconds(a.Dbl("sample-seconds", 5));
        var maxSlope = a.Dbl("max-slope-mb-per-min", 1.0);
        var work = a.WorkDir("soak");
        var dataDir = Path.Combine(work, "data");
        await using var product = new Product(a.WebDir(), Path.Combine(work, "product.log"), Product.Environment(dataDir));
        product.Start();
        await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var api = new Api(product.BaseAddress);

        string capacityNote;
        if (rate <= 0)
        {
            var probe = new Load(product.BaseAddress, senders, 0, trafficShare: 1, regroupShare: 0, track: false);
            var sw = Stopwatch.StartNew();
            probe.Start();
            await Task.Delay(TimeSpan.FromSeconds(probeSeconds));
            await probe.StopAsync(TimeSpan.FromSeconds(30));
            var ingestSeconds = sw.Elapsed.TotalSeconds;
            var drained = await api.WaitDrainedAsync(TimeSpan.FromSeconds(300));
            var total = sw.Elapsed.TotalSeconds;
            var acked = probe.Ledger.AckedDeliveries;
            var capacity = acked / total;
            rate = Math.Max(1, Math.Floor(capacity / 2));
            capacityNote = string.Create(CultureInfo.InvariantCulture,
                $"probe: {acked} deliveries acknowledged in {ingestSeconds:0.0} s at full speed ({acked / ingestSeconds:0}/s ingest), all processed after {total:0.0} s" +
                $"{(drained.Seconds is null ? " (queue NOT drained)" : "")} → capacity {capacity:0} deliveries/s end to end; soak rate {rate:0}/s");
            Log.Line(capacityNote);
        }
        else capacityNote = string.Create(CultureInfo.InvariantCulture, $"rate {rate:0}/s given");

        Log.Line(string.Create(CultureInfo.InvariantCulture, $"soak: {seconds:0} s at {rate:0} deliveries/s, {senders} senders, RSS every {sampleEvery.TotalSeconds:0} s; pass when the RSS trend over the second half < {maxSlope} MB/min and nothing failed"));
        var errorsBefore = product.ErrorLines;
        var load = new Load(product.BaseAddress, senders, rate, trafficShare: 1, regroupShare: 0, track: false);
        var samples = new List<(double Minutes, double RssMb, long Queue)>();
        var clock = Stopwatch.StartNew();
        load.Start();
        var nextReport = 60.0;
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            await Task.Delay(sampleEvery);
            var rss = product.RssKb() / 1024.0;
            var queue = await api.QueueLengthAsync();
            samples.Add((clock.Elapsed.TotalMinutes, rss, queue));
            if (clock.Elapsed.TotalSeconds >= nextReport)
            {
                nextReport += 60;
                Log.Line(string.Create(CultureInfo.InvariantCulture,
                    $"  {clock.Elapsed.TotalMinutes:0.0} min: RSS {rss:0} MB, queue {queue}, acknowledged {load.Ledger.AckedDeliveries} ({load.Ledger.AckedDeliveries / clock.Elapsed.TotalSeconds:0}/s), answers {load.Tally}"));
            }
        }
        var landed = await load.StopAsync(TimeSpan.FromSeconds(30));
        var elapsed = clock.Elapsed.TotalSeconds;
        var drainedAfter = await api.WaitDrainedAsync(TimeSpan.FromSeconds(180));

        var second = samples.Where(s => s.Minutes >= samples[^1].Minutes / 2).ToList();
        var slope = Slope(second.Select(s => (s.Minutes, s.RssMb)).ToList());
        var all = Slope(samples.Select(s => (s.Minutes, s.RssMb)).ToList());
        var failures = load.Tally.Count(c => c != "200");
        var errorLines = product.ErrorLines - errorsBefore;
        var (p50, p99, max) = load.Latency();
        var dbMb = Directory.GetFiles(dataDir).Sum(f => new FileInfo(f).Length) / 1048576.0;
        Log.Line(string.Create(CultureInfo.InvariantCulture,
            $"RSS MB: first {samples[0].RssMb:0}, min {samples.Min(s => s.RssMb):0}, max {samples.Max(s => s.RssMb):0}, last {samples[^1].RssMb:0}; " +
            $"trend {all:0.00} MB/min over the run, {slope:0.00} MB/min over the second half ({second.Count} samples)"));
        Log.Line("RSS per minute (MB): " + string.Join(' ', samples.GroupBy(s => (int)s.Minutes).Select(g => g.Average(s => s.RssMb).ToString("0", CultureInfo.InvariantCulture))));
        Log.Line(string.Create(CultureInfo.InvariantCulture, $"queue length: max {samples.Max(s => s.Queue)}, mean {samples.Average(s => (double)s.Queue):0}"));
        File.WriteAllLines(Path.Combine(work, "rss.csv"), ["minutes,rss_mb,queue", .. samples.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Minutes:0.000},{s.RssMb:0.0},{s.Queue}"))]);
        foreach (var line in product.FirstErrors.Take(3)) Log.Line($"  product log: {line}");

        var pass = failures == 0 && errorLines == 0 && slope < maxSlope && landed && drainedAfter.Seconds is not null && product.Alive;
        return Log.Verdict("soak", pass, string.Create(CultureInfo.InvariantCulture,
            $"seconds={elapsed:0} rate={rate:0}/s acked={load.Ledger.AckedDeliveries} ({load.Ledger.AckedDeliveries / elapsed:0}/s) failures={failures} answers=[{load.Tally}] " +
            $"error_log_lines={errorLines} rss_first_mb={samples[0].RssMb:0} rss_max_mb={samples.Max(s => s.RssMb):0} rss_last_mb={samples[^1].RssMb:0} " +
            $"slope_second_half_mb_per_min={slope:0.00} (limit {maxSlope}) queue_max={samples.Max(s => s.Queue)} ack_p50_ms={p50} ack_p99_ms={p99} ack_max_ms={max} " +
            $"drained={(drainedAfter.Seconds is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) + "s" : "timeout")} db_mb={dbMb:0} ({capacityNote})"));
    }

    /// <summary>Least-squares slope of y over x.</summary>
    static double Slope(IReadOnlyList<(double X, double Y)> points)
    {
        if (points.Count < 2) return 0;
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxx == 0 ? 0 : points.Sum(p => (p.X - mx) * (p.Y - my)) / sxx;
    }
}
