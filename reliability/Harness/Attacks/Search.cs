using System.Diagnostics;
using System.Text;
using Reliability.Common;

namespace Reliability;

static partial class Attacks
{
    /// <summary>
    /// Item 5: with N events stored, the webhook's acknowledgement latency (one sender, one delivery
    /// at a time) idle, then while 4 viewers (4 API keys, each at the default API_RATE_LIMIT of
    /// 1,200 a minute) search without pause — the worst cases: a term that matches nothing, and a
    /// common term filtered to the 1 % of failed events. Target: the p99 under search at most twice
    /// the idle p99. Then the same 4 searching with no rate limit at all (a closed loop each), which
    /// saturates the two cores with HTTP work whatever the query costs: reported, not judged.
    /// </summary>
    static async Task<int> SearchAsync(Args a)
    {
        var target = a.Int("search-events", 70_000);
        var seconds = a.Int("search-seconds", 15);
        // The default API limit per caller: what a viewer can really do (the harness lifts it elsewhere).
        await using var product = await StartAsync(a, "search", new() { ["API_RATE_LIMIT"] = "1200" });
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

        var keys = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            using var created = await api.Client.PostAsync("/api/keys", System.Net.Http.Json.JsonContent.Create(new { name = $"searcher-{i}", role = "viewer" }));
            keys.Add(System.Text.Json.JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("key").GetString()!);
        }

        var idle = await AckLatenciesAsync(http, "idle", TimeSpan.FromSeconds(seconds));
        string[] queries = a.Str("search-queries", "q=zzqx-no-such-text,q=order&status=failed").Split(',');
        var (paced, pacedSearches) = await WhileSearchingAsync(http, product.BaseAddress, keys, queries, TimeSpan.FromMilliseconds(50), seconds);
        var (flat, flatSearches) = await WhileSearchingAsync(http, product.BaseAddress, [Product.AdminKey, Product.AdminKey, Product.AdminKey, Product.AdminKey], queries, TimeSpan.Zero, seconds);

        var (idleP99, pacedP99) = (Percentile(idle, 0.99), Percentile(paced, 0.99));
        var details = $"events={target} ack_idle_p50_ms={Ms(Percentile(idle, 0.5))} ack_idle_p99_ms={Ms(idleP99)} " +
                      $"ack_searching_p50_ms={Ms(Percentile(paced, 0.5))} ack_searching_p99_ms={Ms(pacedP99)} ratio={pacedP99 / idleP99:0.00} searches={pacedSearches} " +
                      $"| unlimited closed loops: ack_p50_ms={Ms(Percentile(flat, 0.5))} ack_p99_ms={Ms(Percentile(flat, 0.99))} searches={flatSearches} product_errors={product.ErrorLines}";
        return Log.Verdict("search", pacedP99 <= 2 * idleP99 && pacedSearches.FiveHundreds == 0 && flatSearches.FiveHundreds == 0 && product.ErrorLines == 0, details);
    }

    /// <summary>Acknowledgement latencies while one searcher per key queries worst cases, each at most once per <paramref name="pace"/>.</summary>
    static async Task<(List<double> Acks, Tally Searches)> WhileSearchingAsync(HttpClient http, Uri baseAddress, IReadOnlyList<string> keys, string[] queries, TimeSpan pace, int seconds)
    {
        using var stop = new CancellationTokenSource();
        var searches = new Tally();
        var searchers = keys.Select((key, i) => Task.Run(async () =>
        {
            using var client = new HttpClient { BaseAddress = baseAddress };
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            var query = queries[i % queries.Length];
            while (!stop.IsCancellationRequested)
            {
                var next = Task.Delay(pace);
                using var response = await client.GetAsync($"/api/webhooks/events?{query}&limit=50", CancellationToken.None);
                searches.Add(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture));
                await next;
            }
        })).ToList();
        var acks = await AckLatenciesAsync(http, "searching", TimeSpan.FromSeconds(seconds));
        await stop.CancelAsync();
        await Task.WhenAll(searchers);
        return (acks, searches);
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
