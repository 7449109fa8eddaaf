using System.Globalization;
using Reliability.Common;

namespace Reliability;

/// <summary>
/// kill -9 at random moments under load, restart on the same DATA_DIR; the senders re-send every
/// delivery that did not get a 200. After the last restart: every update acknowledged or re-sent is
/// stored exactly once, nothing is half-stored, and every event ends completed, skipped or failed.
/// </summary>
static class Crash
{
    public static async Task<int> RunAsync(Args a)
    {
        var seconds = a.Dbl("seconds", 60);
        var kills = a.Int("kills", 3);
        var senders = a.Int("senders", 16);
        var rate = a.Dbl("rate", 400);
        var drainTimeout = TimeSpan.FromSeconds(a.Dbl("drain-seconds", 120));
        var seed = a.Int("seed", Environment.TickCount);
        var random = new Random(seed);
        var work = a.WorkDir("crash");
        var dataDir = Path.Combine(work, "data");
        Log.Line($"crash: {kills} kills over {seconds:0} s, {senders} senders at {rate:0} deliveries/s, seed {seed}, work dir {work}");

        await using var product = new Product(a.WebDir(), Path.Combine(work, "product.log"), Product.Environment(dataDir));
        product.Start();
        await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var load = new Load(product.BaseAddress, senders, rate);
        load.Start();

        // One kill at a random moment in each of the first `kills` equal slices of the run.
        var slice = seconds / (kills + 1);
        var started = Log.Seconds;
        var restartMs = new List<double>();
        for (var k = 0; k < kills; k++)
        {
            var at = started + slice * k + slice * (0.35 + 0.6 * random.NextDouble());
            while (Log.Seconds < at) await Task.Delay(20);
            var before = load.Ledger.AckedDeliveries;
            product.Kill();
            Log.Line($"kill #{k + 1}: SIGKILL pid after {before} acknowledged deliveries ({load.Tally})");
            var t = Log.Seconds;
            product.Start();
            await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            restartMs.Add((Log.Seconds - t) * 1000);
            Log.Line($"restart #{k + 1}: healthy again in {restartMs[^1]:0} ms");
        }
        while (Log.Seconds < started + seconds) await Task.Delay(50);

        Log.Line("load: no new deliveries; waiting for in-flight re-sends to be accepted");
        var landed = await load.StopAsync(TimeSpan.FromSeconds(60));
        var ledger = load.Ledger;
        Log.Line($"load: {ledger.Deliveries} deliveries ({ledger.Traffic} simulator, {ledger.Regrouped} regrouped duplicates), " +
                 $"{ledger.Updates} updates, {ledger.AckedDeliveries} acknowledged; answers {load.Tally}");

        using var api = new Api(product.BaseAddress);
        var drained = await api.WaitDrainedAsync(drainTimeout);
        Log.Line(drained.Seconds is { } s ? $"queue drained {s:0.0} s after the load stopped" : $"queue NOT drained after {drainTimeout.TotalSeconds:0} s: pending={drained.Pending} processing={drained.Processing}");
        var rows = await api.AllEventsAsync();
        var check = StoreCheck.Compare(rows, ledger.AckedKeys, ledger.UnackedKeys, ledger.CoreMids);
        Log.Line($"store (API): {check}");
        if (check.Failed > 0) Log.Line($"failed events: {check.FailedReasons}");
        // Events a killed host had claimed come back when its lease expires: they show a second attempt.
        var reclaimed = rows.Count(r => r.Attempts > 1);
        Log.Line($"events processed more than once (claimed by a killed host, reclaimed after its lease): {reclaimed}");
        foreach (var sample in check.Samples) Log.Line($"  {sample}");
        foreach (var v in ledger.RegroupViolations) Log.Line($"  {v}");

        var fiveHundreds = load.Tally.FiveHundreds;
        var alive = product.Alive;
        var errors = product.ErrorLines;
        product.Kill(); // the file is checked as a crash leaves it
        var file = SqliteFile.Check(dataDir);
        Log.Line($"store (SQLite file, read-only, after a final kill -9): {file}; " +
                 $"{file.Deliveries - ledger.AckedDeliveries} deliveries were stored although their 200 never reached the sender (cut by a kill, then re-sent and recognised as duplicates)");
        if (errors > 0) foreach (var line in product.FirstErrors.Take(5)) Log.Line($"  product log: {line}");

        var pass = landed && drained.Seconds is not null && check.ExactlyOnce && check.Finished && file.Ok
                   && ledger.RegroupViolations.Count == 0 && fiveHundreds == 0 && alive && product.Starts == kills + 1;
        var p99 = load.Latency().P99;
        var details = string.Create(CultureInfo.InvariantCulture,
            $"kills={kills} rate_achieved={ledger.AckedDeliveries / seconds:0}/s restarts_ms=[{string.Join(',', restartMs.Select(m => m.ToString("0", CultureInfo.InvariantCulture)))}] deliveries={ledger.Deliveries} acked={ledger.AckedDeliveries} " +
            $"unacked={ledger.UnackedDeliveries} updates={ledger.Updates} regrouped={ledger.Regrouped} events={check.Events} duplicates={check.DuplicateKeys} " +
            $"missing={check.Missing} unexpected={check.Unexpected} completed={check.Completed} skipped={check.Skipped} failed={check.Failed} " +
            $"pending={check.Pending} processing={check.Processing} reclaimed_after_kill={reclaimed} http500={fiveHundreds} answers=[{load.Tally}] ack_p99_ms={p99} " +
            $"drain_s={(drained.Seconds is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "timeout")} file={(file.Ok ? "ok" : file.ToString())} error_log_lines={errors}");
        return Log.Verdict("crash", pass, details);
    }
}
