// Sends signed Instagram deliveries at a fixed concurrency and reports throughput and ack latency.
// Usage: dotnet LoadGen.dll --url http://127.0.0.1:5055 --secret S --concurrency 64 --seconds 20 [--warmup 3] [--seed 1] [--traffic mixed|single|platforms]
// platforms: single-update deliveries from Instagram, Messenger and WhatsApp in turn (a customer's message; on WhatsApp a message or a status).
//        [--rate R: deliveries/s in all, paced; 0 = as fast as answered] [--probe-key KEY: visibility probes, see Visibility.cs]
// Traffic: mixed = MixedDeliveries (8 types, 1–50 updates, a few 1,000-update batches, 5 % regrouped
// duplicates); single = one customer message per delivery, all distinct.
// Prints one line of key=value pairs (sent_from/sent_until: Unix seconds of the first and last send,
// warm-up included; sent_events: every update sent then); exit code 1 when any request failed.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

var opts = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--")).ToDictionary(x => x.a[2..], x => args[x.i + 1]);
var url = new Uri(new Uri(opts.GetValueOrDefault("url", "http://127.0.0.1:5055")), "/api/webhooks/instagram");
var secret = Encoding.UTF8.GetBytes(opts.GetValueOrDefault("secret", "bench-secret"));
var concurrency = int.Parse(opts.GetValueOrDefault("concurrency", "64"));
var seconds = double.Parse(opts.GetValueOrDefault("seconds", "20"), System.Globalization.CultureInfo.InvariantCulture);
var warmup = double.Parse(opts.GetValueOrDefault("warmup", "3"), System.Globalization.CultureInfo.InvariantCulture);
var seed = int.Parse(opts.GetValueOrDefault("seed", Environment.TickCount.ToString()));
var traffic = opts.GetValueOrDefault("traffic", "mixed");
if (traffic is not ("mixed" or "single" or "platforms")) throw new ArgumentException($"--traffic {traffic}: use mixed, single or platforms");
// Bodies and signatures are made before the clock starts, so the generator's CPU does not compete
// with the server under test (they share the machine). Sized for the fastest server measured here.
var rate = double.Parse(opts.GetValueOrDefault("rate", "0"), System.Globalization.CultureInfo.InvariantCulture);
var poolSize = int.Parse(opts.GetValueOrDefault("pool", ((int)(45_000 * (seconds + warmup))).ToString()));
var pool = new (byte[] Body, string Signature, int Updates)[poolSize];
var parts = Environment.ProcessorCount;
Parallel.For(0, parts, part =>
{
    var deliveries = new MixedDeliveries(seed + part, TimeSpan.FromDays(-part));
    for (var i = part; i < poolSize; i += parts)
    {
        var (b, u) = traffic switch
        {
            "single" => deliveries.NextSingle(),
            "platforms" => deliveries.NextOfEachPlatform(),
            _ => deliveries.Next(),
        };
        pool[i] = (b, "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, b)), u);
    }
});
long taken = -1;

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Math.Max(1, concurrency), PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
var latencies = new List<double>[concurrency];
long ok = 0, failed = 0, events = 0, sentEvents = 0, sentOk = 0, bytes = 0;
var statuses = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
var sentFrom = DateTimeOffset.UtcNow;
var startedAt = Stopwatch.GetTimestamp();
var measureFrom = startedAt + (long)(warmup * Stopwatch.Frequency);
var stopAt = measureFrom + (long)(seconds * Stopwatch.Frequency);

var probe = opts.TryGetValue("probe-key", out var probeKey) ? new Visibility(url, secret, probeKey, seed) : null;
var probing = probe?.RunAsync(measureFrom, stopAt) ?? Task.CompletedTask;
// Paced (--rate): each worker sends on its own schedule, so the total is the rate; a worker behind
// schedule carries on from now rather than bursting to catch up.
var interval = rate > 0 ? concurrency / rate : 0;
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
{
    var mine = latencies[w] = new List<double>(100_000);
    var due = startedAt + (long)(interval * Stopwatch.Frequency * w / Math.Max(1, concurrency));
    while (Stopwatch.GetTimestamp() < stopAt)
    {
        if (interval > 0)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            due = Math.Max(due + (long)(interval * Stopwatch.Frequency), Stopwatch.GetTimestamp());
        }
        var next = Interlocked.Increment(ref taken);
        if (next >= pool.Length) break; // pool used up: the run ends early and says so
        var (body, signature, updates) = pool[next];
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
        var t = Stopwatch.GetTimestamp();
        var success = false;
        try
        {
            using var response = await client.SendAsync(request);
            success = response.IsSuccessStatusCode;
            if (!success) statuses.AddOrUpdate(((int)response.StatusCode).ToString(), 1, (_, n) => n + 1);
        }
        catch (HttpRequestException) { statuses.AddOrUpdate("conn", 1, (_, n) => n + 1); }
        if (success) { Interlocked.Increment(ref sentOk); Interlocked.Add(ref sentEvents, updates); Interlocked.Add(ref bytes, body.Length); }
        if (t < measureFrom) continue; // warm-up: JIT, pools, page cache
        if (success) { Interlocked.Increment(ref ok); Interlocked.Add(ref events, updates); } else Interlocked.Increment(ref failed);
        mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    }
}));

var sentUntil = DateTimeOffset.UtcNow;
await probing;
var measured = Math.Min(seconds, Stopwatch.GetElapsedTime(measureFrom).TotalSeconds);
if (taken >= pool.Length) Console.Error.WriteLine($"pool of {pool.Length} deliveries used up after {measured:0.0}s of measurement");
seconds = measured;
var all = latencies.SelectMany(l => l).Order().ToArray();
double P(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
Console.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
    $"concurrency={concurrency} seconds={seconds:0.#} ok={ok} failed={failed} deliveries_per_s={ok / seconds:0} events_per_s={events / seconds:0} " +
    $"events_sent={events} p50_ms={P(0.50):0.0} p99_ms={P(0.99):0.0} max_ms={all.LastOrDefault():0.0} " +
    $"non200=[{string.Join(',', statuses.OrderBy(x => x.Key).Select(x => $"{x.Key}:{x.Value}"))}] avg_body_b={bytes / Math.Max(1, sentOk)} " +
    $"sent_from={sentFrom.ToUnixTimeMilliseconds() / 1000.0:0.000} sent_until={sentUntil.ToUnixTimeMilliseconds() / 1000.0:0.000} sent_events={sentEvents} sent_ok={sentOk}{probe?.Summary()}"));
return failed == 0 ? 0 : 1;
