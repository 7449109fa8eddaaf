using System.Diagnostics;
using System.Text;
using Reliability.Common;

namespace Reliability;

static partial class Attacks
{
    /// <summary>
    /// Item 5: with N events stored, the webhook's acknowledgement latency (one sender, one delivery
    /// at a time) idle and then while 4 clients search as hard as they can — the worst cases: a term
    /// that matches nothing, and a common term filtered to the 1 % of failed events. Target: the p99
    /// under search load at most twice the idle p99.
    /// </summary>
    static async Task<int> SearchAsync(Args a)
    {
        var target = a.Int("search-events", 70_000);
        var seconds = a.Int("search-seconds", 15);
        await using var product = await StartAsync(a, "search");
        using var api = new Api(product.BaseAddress);
        using var http = new HttpClient { BaseAddress = product.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

        var seedWatch = Stopwatch.StartNew();
        var words = new[] { "order", "refund", "shipping", "hello", "thanks", "price", "size", "color", "when", "available" };
        await Parallel.ForAsync(0, target / 50, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (d, ct) =>
        {
            var messages = string.Join(',', Enumerable.Range(0, 50).Select(i =>
                $$$"""{"sender":{"id":"9{{{d % 500}}}"},"recipient":{"id":"17841400000000001"},"timestamp":1764000000000,"message":{"mid":"seed-{{{d}}}-{{{i}}}","text":"{{{words[(d + i) % words.Length]}}} {{{words[(d * 7 + i) % words.Length]}}} #{{{d}}}"}}"""));
            var body = Encoding.UTF8.GetBytes($$$"""{"object":"instagram","entry":[{"id":"17841400000000001","time":1764000000,"messaging":[{{{messages}}}]}]}""");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/instagram") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = MetaSender.Json;
            request.Headers.Add("X-Hub-Signature-256", Signing.Header(body));
            (await http.SendAsync(request, ct)).EnsureSuccessStatusCode();
        });
        while ((await api.InFlightAsync()) is not (0, 0)) await Task.Delay(500);
        Log.Line($"search: {target:#,0} events stored and processed in {seedWatch.Elapsed.TotalSeconds:0} s");

        var idle = await AckLatenciesAsync(http, "idle", TimeSpan.FromSeconds(seconds));
        using var stop = new CancellationTokenSource();
        var searches = new Tally();
        var searchMs = new List<double>();
        var searchers = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            var query = i % 2 == 0 ? "q=zzqx-no-such-text" : "q=order&status=failed";
            while (!stop.IsCancellationRequested)
            {
                var sw = Stopwatch.StartNew();
                using var response = await api.Client.GetAsync($"/api/webhooks/events?{query}&limit=50", CancellationToken.None);
                searches.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                lock (searchMs) searchMs.Add(sw.Elapsed.TotalMilliseconds);
            }
        })).ToList();
        var loaded = await AckLatenciesAsync(http, "searching", TimeSpan.FromSeconds(seconds));
        await stop.CancelAsync();
        await Task.WhenAll(searchers);
        searchMs.Sort();

        var (idleP99, loadedP99) = (Percentile(idle, 0.99), Percentile(loaded, 0.99));
        var details = $"events={target} ack_idle_p50_ms={Ms(Percentile(idle, 0.5))} ack_idle_p99_ms={Ms(idleP99)} " +
                      $"ack_searching_p50_ms={Ms(Percentile(loaded, 0.5))} ack_searching_p99_ms={Ms(loadedP99)} ratio={loadedP99 / idleP99:0.00} " +
                      $"searches={searches} search_p50_ms={Ms(Percentile(searchMs, 0.5))} search_p99_ms={Ms(Percentile(searchMs, 0.99))} product_errors={product.ErrorLines}";
        return Log.Verdict("search", loadedP99 <= 2 * idleP99 && searches.FiveHundreds == 0 && product.ErrorLines == 0, details);
    }

    static async Task<List<double>> AckLatenciesAsync(HttpClient http, string phase, TimeSpan duration)
    {
        var latencies = new List<double>();
        var until = Stopwatch.StartNew();
        for (var i = 0; until.Elapsed < duration; i++)
        {
            var sw = Stopwatch.StartNew();
            if (await DeliverAsync(http, $"{phase}-{i}") != "200") throw new InvalidOperationException($"a delivery was refused while {phase}");
            latencies.Add(sw.Elapsed.TotalMilliseconds);
        }
        latencies.Sort();
        return latencies;
    }
}
