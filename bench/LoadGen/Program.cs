// Sends signed Instagram deliveries at a fixed concurrency and reports throughput and ack latency.
// Usage: dotnet run -c Release -- --url http://127.0.0.1:5055 --secret S --concurrency 64 --seconds 20 [--updates 1]
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

var opts = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--")).ToDictionary(x => x.a[2..], x => args[x.i + 1]);
var url = new Uri(new Uri(opts.GetValueOrDefault("url", "http://127.0.0.1:5055")), "/api/webhooks/instagram");
var secret = Encoding.UTF8.GetBytes(opts.GetValueOrDefault("secret", "bench-secret"));
var concurrency = int.Parse(opts.GetValueOrDefault("concurrency", "64"));
var seconds = double.Parse(opts.GetValueOrDefault("seconds", "20"));
var updates = int.Parse(opts.GetValueOrDefault("updates", "1"));
var run = opts.GetValueOrDefault("run", Guid.NewGuid().ToString("N")[..8]);

using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
var latencies = new List<double>[concurrency];
long ok = 0, failed = 0, events = 0;
var stopAt = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
var started = Stopwatch.GetTimestamp();

await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async w =>
{
    var mine = latencies[w] = new List<double>(100_000);
    for (var n = 0; Stopwatch.GetTimestamp() < stopAt; n++)
    {
        var body = Body(run, w, n, updates);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body)));
        var t = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request);
            if (response.IsSuccessStatusCode) { Interlocked.Increment(ref ok); Interlocked.Add(ref events, updates); }
            else Interlocked.Increment(ref failed);
        }
        catch (HttpRequestException) { Interlocked.Increment(ref failed); }
        mine.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    }
}));

var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
var all = latencies.SelectMany(l => l).Order().ToArray();
double P(double p) => all.Length == 0 ? 0 : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
Console.WriteLine($"concurrency={concurrency} updates/delivery={updates} seconds={elapsed:0.0} ok={ok} failed={failed} " +
    $"deliveries/s={ok / elapsed:0} events/s={events / elapsed:0} p50_ms={P(0.50):0.0} p99_ms={P(0.99):0.0} max_ms={all.LastOrDefault():0.0}");
return failed == 0 ? 0 : 1;

static byte[] Body(string run, int worker, int n, int updates)
{
    var sb = new StringBuilder("{\"object\":\"instagram\",\"entry\":[{\"id\":\"17841400000000001\",\"time\":1764000000,\"messaging\":[");
    for (var u = 0; u < updates; u++)
    {
        if (u > 0) sb.Append(',');
        sb.Append("{\"sender\":{\"id\":\"9000").Append(worker).Append("\"},\"recipient\":{\"id\":\"17841400000000001\"},\"timestamp\":1764000000123,")
          .Append("\"message\":{\"mid\":\"bench-").Append(run).Append('-').Append(worker).Append('-').Append(n).Append('-').Append(u)
          .Append("\",\"text\":\"héllo from the load generator 👋\"}}");
    }
    return Encoding.UTF8.GetBytes(sb.Append("]}]}").ToString());
}
