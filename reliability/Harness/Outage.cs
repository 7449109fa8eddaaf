using System.Diagnostics;
using System.Globalization;
using InstantChat.Testing;
using Reliability.Common;

namespace Reliability;

/// <summary>
/// The store goes away under load and comes back. While it is away, webhook POSTs must answer 503
/// (Meta retries), never 500 and never a 200 for something not stored; once it is back, the
/// senders' re-sends land and processing resumes.
/// SQLite: DATA_DIR on a small tmpfs that is made read-only or, when Linux refuses that because
/// SQLite holds its files open for writing (EBUSY), filled to the last byte (ENOSPC).
/// MongoDB: jongodb killed and started again on the same port. It keeps data in memory only, so
/// what was stored before the outage is gone afterwards: the check there is 503-not-500 during the
/// outage, and that deliveries acknowledged after recovery are stored exactly once and processed.
/// </summary>
static class Outage
{
    public static async Task<int> RunAsync(Args a)
    {
        var store = a.Str("store", "both");
        var rc = 0;
        if (store is "sqlite" or "both") rc |= await SqliteAsync(a);
        if (store is "mongo" or "both") rc |= await MongoAsync(a);
        return rc;
    }

    static async Task<int> SqliteAsync(Args a)
    {
        var (senders, rate, before, outage, after) = Timing(a);
        var work = a.WorkDir("outage-sqlite");
        var mount = Path.Combine(work, "tmpfs");
        Directory.CreateDirectory(mount);
        var (mountRc, mountErr) = Run("mount", "-t", "tmpfs", "-o", "size=256m", "tmpfs", mount);
        if (mountRc != 0)
            return Log.Verdict("outage-sqlite", false, $"could not mount a tmpfs at {mount} (mount exit {mountRc}: {mountErr.Trim()}); needs root. No outage was simulated.", skipped: true);
        var dataDir = Path.Combine(mount, "data");
        Log.Line($"outage-sqlite: DATA_DIR on a 256 MiB tmpfs at {mount}; {senders} senders at {rate:0}/s; {before:0} s load, {outage:0} s outage, {after:0} s after");
        try
        {
            await using var product = new Product(a.WebDir(), Path.Combine(work, "product.log"), Product.Environment(dataDir));
            product.Start();
            await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
            var load = new Load(product.BaseAddress, senders, rate);
            load.Start();
            await Task.Delay(TimeSpan.FromSeconds(before));

            // Read-only first, as the issue asks; Linux refuses it while files are open for writing.
            var filler = Path.Combine(mount, "filler");
            string method;
            var (roRc, roErr) = Run("mount", "-o", "remount,ro", mount);
            if (roRc == 0) method = "remount,ro";
            else
            {
                Log.Line($"mount -o remount,ro refused (exit {roRc}: {roErr.Trim()}): SQLite holds its files open for writing. Filling the tmpfs instead (ENOSPC).");
                method = $"disk full (remount,ro refused: {roErr.Trim().Split('\n')[0]})";
                Fill(filler);
            }
            var atOutage = load.Tally.Snapshot();
            var errorsAtOutage = product.ErrorLines;
            Log.Line($"outage: store unwritable ({(roRc == 0 ? "read-only" : "full")}); acknowledged so far {load.Ledger.AckedDeliveries}");
            var ready = await SampleReadyAsync(product, TimeSpan.FromSeconds(outage));
            var during = Tally.Diff(atOutage, load.Tally.Snapshot());
            Log.Line($"during the outage: POST answers {Tally.Format(during)}; /readyz {ready}; error log lines {product.ErrorLines - errorsAtOutage}");

            if (roRc == 0) Run("mount", "-o", "remount,rw", mount);
            else File.Delete(filler);
            var recoveredAt = DateTime.UtcNow;
            var ackedAtRecovery = load.Ledger.AckedDeliveries;
            Log.Line("recovery: store writable again");
            await Task.Delay(TimeSpan.FromSeconds(after));
            var landed = await load.StopAsync(TimeSpan.FromSeconds(60));
            var ledger = load.Ledger;
            var afterRecovery = ledger.AckedDeliveries - ackedAtRecovery;
            Log.Line($"load: {ledger.Deliveries} deliveries, {ledger.AckedDeliveries} acknowledged ({afterRecovery} after recovery); answers {load.Tally}");

            using var api = new Api(product.BaseAddress);
            var drained = await api.WaitDrainedAsync(TimeSpan.FromSeconds(120));
            var rows = await api.AllEventsAsync();
            var check = StoreCheck.Compare(rows, ledger.AckedKeys, ledger.UnackedKeys, ledger.CoreMids);
            Log.Line($"store (API): {check}");
            if (check.Failed > 0) Log.Line($"failed events: {check.FailedReasons}");
            foreach (var sample in check.Samples) Log.Line($"  {sample}");
            var alive = product.Alive;
            product.Kill();
            var file = SqliteFile.Check(dataDir);
            Log.Line($"store (SQLite file): {file}");
            foreach (var line in product.FirstErrors.Take(3)) Log.Line($"  product log: {line}");

            var got503 = during.GetValueOrDefault("503");
            var fiveHundreds = load.Tally.FiveHundreds;
            // Readiness must say what POSTs say: 503 while the store cannot commit (bug 4 in RESULTS.md).
            var pass = got503 > 0 && fiveHundreds == 0 && alive && landed && drained.Seconds is not null && afterRecovery > 0
                       && ready.Contains("503", StringComparison.Ordinal) && check.ExactlyOnce && check.Finished && file.Ok;
            return Log.Verdict("outage-sqlite", pass, string.Create(CultureInfo.InvariantCulture,
                $"method=\"{method}\" outage_s={outage:0} during=[{Tally.Format(during)}] readyz_during=[{ready}] http500={fiveHundreds} " +
                $"acked={ledger.AckedDeliveries} acked_after_recovery={afterRecovery} unacked={ledger.UnackedDeliveries} events={check.Events} " +
                $"duplicates={check.DuplicateKeys} missing={check.Missing} unexpected={check.Unexpected} pending={check.Pending} processing={check.Processing} " +
                $"failed={check.Failed} drain_s={(drained.Seconds is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "timeout")} file=[{file}] alive={alive}"));
        }
        finally
        {
            Run("umount", "-l", mount);
        }
    }

    static async Task<int> MongoAsync(Args a)
    {
        var (_, _, before, outage, after) = Timing(a);
        // jongodb acknowledges majority-journaled writes slowly (≈ 25 deliveries/s here): a gentler load.
        var senders = a.Int("mongo-senders", 6);
        var rate = a.Dbl("mongo-rate", 15);
        var given = a.Str("jongodb", "");
        var binary = given.Length > 0 ? (File.Exists(given) ? Path.GetFullPath(given) : null) : JongodbServer.Find(Environment.CurrentDirectory);
        if (binary is null)
            return Log.Verdict("outage-mongo", false, "jongodb not found (.tools/jongodb; reliability/run and test.sh install it with npm); --jongodb PATH", skipped: true);
        var work = a.WorkDir("outage-mongo");
        using var jongodb = new JongodbServer(binary, Product.FreePort());
        await jongodb.StartAsync();
        Log.Line($"outage-mongo: jongodb on port {jongodb.Port}; {senders} senders at {rate:0}/s; {before:0} s load, {outage:0} s outage, {after:0} s after");
        var env = Product.Environment(Path.Combine(work, "data"), jongodb.Uri("instantchat"));
        await using var product = new Product(a.WebDir(), Path.Combine(work, "product.log"), env);
        product.Start();
        await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        var load = new Load(product.BaseAddress, senders, rate);
        load.Start();
        await Task.Delay(TimeSpan.FromSeconds(before));

        jongodb.Kill();
        var atOutage = load.Tally.Snapshot();
        var errorsAtOutage = product.ErrorLines;
        Log.Line($"outage: jongodb killed (SIGKILL); acknowledged so far {load.Ledger.AckedDeliveries}");
        var ready = await SampleReadyAsync(product, TimeSpan.FromSeconds(outage));
        var during = Tally.Diff(atOutage, load.Tally.Snapshot());
        Log.Line($"during the outage: POST answers {Tally.Format(during)}; /readyz {ready}; error log lines {product.ErrorLines - errorsAtOutage}");

        await jongodb.StartAsync();
        var recoveredAt = DateTime.UtcNow;
        var ackedAtRecovery = load.Ledger.AckedDeliveries;
        Log.Line("recovery: jongodb started again on the same port (empty: it keeps data in memory only)");
        var readyAgain = await WaitReadyAsync(product, TimeSpan.FromSeconds(60));
        Log.Line(readyAgain is { } r ? $"/readyz 200 again {r:0.0} s after jongodb answered" : "/readyz NOT 200 within 60 s of recovery");
        await Task.Delay(TimeSpan.FromSeconds(after));
        var landed = await load.StopAsync(TimeSpan.FromSeconds(60));
        var ledger = load.Ledger;
        var afterRecovery = ledger.AckedDeliveries - ackedAtRecovery;
        Log.Line($"load: {ledger.Deliveries} deliveries, {ledger.AckedDeliveries} acknowledged ({afterRecovery} after recovery); answers {load.Tally}");

        using var api = new Api(product.BaseAddress);
        var drained = await api.WaitDrainedAsync(TimeSpan.FromSeconds(a.Dbl("drain-seconds", 300)));
        var rows = await api.AllEventsAsync();
        // Only what was acknowledged after recovery must be there; anything ever sent may be.
        var check = StoreCheck.Compare(rows, ledger.AckedKeysSince(recoveredAt), ledger.GeneratedKeys, []);
        Log.Line($"store (API, after recovery): {check}");
        if (check.Failed > 0) Log.Line($"failed events: {check.FailedReasons}");
        foreach (var sample in check.Samples) Log.Line($"  {sample}");
        foreach (var line in product.FirstErrors.Take(3)) Log.Line($"  product log: {line}");

        var got503 = during.GetValueOrDefault("503");
        var fiveHundreds = load.Tally.FiveHundreds;
        // Duplicates are reported, not failed: jongodb comes back empty, without the unique index the
        // product creates only at start, so a regrouped re-send can be stored twice. A real MongoDB
        // keeps its indexes across a restart (RESULTS.md says more).
        if (check.DuplicateKeys > 0)
            Log.Line($"WARNING: {check.DuplicateKeys} keys stored twice after recovery: the restarted (empty) jongodb has no unique dedupKey index; the product creates indexes only at start");
        var pass = got503 > 0 && fiveHundreds == 0 && product.Alive && landed && readyAgain is not null && ready.Contains("503", StringComparison.Ordinal)
                   && drained.Seconds is not null && afterRecovery > 0 && check.Missing == 0 && check.Unexpected == 0 && check.Finished;
        return Log.Verdict("outage-mongo", pass, string.Create(CultureInfo.InvariantCulture,
            $"outage_s={outage:0} during=[{Tally.Format(during)}] readyz_during=[{ready}] http500={fiveHundreds} acked={ledger.AckedDeliveries} " +
            $"acked_after_recovery={afterRecovery} unacked={ledger.UnackedDeliveries} events_after_recovery={check.Events} missing={check.Missing} " +
            $"unexpected={check.Unexpected} pending={check.Pending} processing={check.Processing} failed={check.Failed} " +
            $"drain_s={(drained.Seconds is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "timeout")} alive={product.Alive} " +
            $"duplicates_after_recovery={check.DuplicateKeys} (warning, not failed: the restarted jongodb is empty and has no unique index) " +
            $"slowest_503_ms={SlowestUnavailableMs(product.LogPath):0} (pre-outage data is gone: jongodb is in-memory)"));
    }

    /// <summary>The longest "Delivery not stored (… bytes, N ms)" in the product log: Meta waits 5 s.</summary>
    static double SlowestUnavailableMs(string logPath)
    {
        var slowest = 0.0;
        foreach (var line in File.ReadLines(logPath))
        {
            var m = System.Text.RegularExpressions.Regex.Match(line, @"Delivery not stored \(\d+ bytes, ([0-9.]+) ms\)");
            if (m.Success) slowest = Math.Max(slowest, double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
        }
        return slowest;
    }

    static (int Senders, double Rate, double Before, double Outage, double After) Timing(Args a) =>
        (a.Int("senders", 12), a.Dbl("rate", 250), a.Dbl("before", 8), a.Dbl("outage", 10), a.Dbl("after", 10));

    /// <summary>/readyz once a second for <paramref name="duration"/>: counts by status.</summary>
    static async Task<string> SampleReadyAsync(Product product, TimeSpan duration)
    {
        var tally = new Tally();
        using var client = new HttpClient { BaseAddress = product.BaseAddress, Timeout = TimeSpan.FromSeconds(8) };
        var end = DateTime.UtcNow + duration;
        while (DateTime.UtcNow < end)
        {
            try
            {
                using var response = await client.GetAsync("/readyz");
                tally.Add(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture));
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { tally.Add("conn"); }
            var wait = TimeSpan.FromSeconds(1);
            if (end - DateTime.UtcNow < wait) wait = end - DateTime.UtcNow;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
        }
        return tally.ToString();
    }

    static async Task<double?> WaitReadyAsync(Product product, TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = product.BaseAddress, Timeout = TimeSpan.FromSeconds(8) };
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            try
            {
                using var response = await client.GetAsync("/readyz");
                if (response.IsSuccessStatusCode) return sw.Elapsed.TotalSeconds;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(250);
        }
        return null;
    }

    /// <summary>Writes a file until the file system is full.</summary>
    static void Fill(string path)
    {
        var chunk = new byte[1 << 20];
        long written = 0;
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        try
        {
            while (true)
            {
                file.Write(chunk);
                written += chunk.Length;
            }
        }
        catch (IOException)
        {
            // Fill the last partial megabyte too.
            for (var size = chunk.Length / 2; size >= 512; size /= 2)
                try { file.Write(chunk.AsSpan(0, size)); written += size; } catch (IOException) { }
        }
        Log.Line($"filled the tmpfs: {written / (1 << 20)} MiB of filler");
    }

    static (int ExitCode, string Error) Run(string command, params string[] args)
    {
        var info = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) info.ArgumentList.Add(arg);
        using var process = Process.Start(info)!;
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, error);
    }
}
