using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;

/// <summary>
/// SPEC's visibility promise, measured: every 200 ms one more distinct delivery (a single message)
/// is sent; from its 200 the API is asked for its delivery record every 5 ms until it answers. The
/// record is written in the processor's commit together with the delivery's events, so "found"
/// means its events are listed. Runs alongside the load (or alone, with --concurrency 0).
/// </summary>
sealed class Visibility(Uri webhook, byte[] secret, string apiKey, int seed)
{
    readonly List<double> _ms = [];
    int _lost;

    public async Task RunAsync(long from, long until)
    {
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        var traffic = new MixedDeliveries(seed + 1_000_003, TimeSpan.Zero);
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), from);
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var probes = new List<Task>();
        while (Stopwatch.GetTimestamp() < until)
        {
            var (body, _) = traffic.NextSingle();
            probes.Add(ProbeAsync(client, body));
            await Task.Delay(200);
        }
        await Task.WhenAll(probes);
    }

    async Task ProbeAsync(HttpClient client, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, webhook) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(secret, body)));
        using var response = await client.SendAsync(request);
        if (!response.IsSuccessStatusCode) { Interlocked.Increment(ref _lost); return; }
        var acked = Stopwatch.GetTimestamp();
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var record = new Uri(webhook, $"/api/webhooks/deliveries/{doc.RootElement.GetProperty("deliveryId").GetString()}");
        while (Stopwatch.GetElapsedTime(acked) < TimeSpan.FromSeconds(60))
        {
            using var found = await client.GetAsync(record);
            if (found.StatusCode == HttpStatusCode.OK)
            {
                lock (_ms) _ms.Add(Stopwatch.GetElapsedTime(acked).TotalMilliseconds);
                return;
            }
            await Task.Delay(5);
        }
        Interlocked.Increment(ref _lost);
    }

    public string Summary()
    {
        double[] all;
        lock (_ms) all = [.. _ms.Order()];
        double P(double p) => all.Length == 0 ? double.NaN : all[Math.Min(all.Length - 1, (int)(p * all.Length))];
        return string.Create(CultureInfo.InvariantCulture,
            $" visibility_n={all.Length} visibility_lost={_lost} visibility_p50_ms={P(0.5):0} visibility_p95_ms={P(0.95):0} visibility_max_ms={(all.Length == 0 ? double.NaN : all[^1]):0}");
    }
}
