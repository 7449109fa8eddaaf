using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Reliability.Common;

namespace Reliability;

static partial class Attacks
{
    const long InflightBudget = 256L * 1024 * 1024; // WEBHOOK_MAX_INFLIGHT_BYTES' default

    /// <summary>
    /// Item 3: N connections each declare a 16 MiB body, send 15 MiB at full speed, then trickle a
    /// byte a second. Meanwhile Meta's deliveries must get their 200 within 5 s, peak RSS must stay
    /// under the in-flight budget + 300 MB, and RSS must come back near its start once they close.
    /// </summary>
    static async Task<int> SlowBodyAsync(Args a)
    {
        var connections = a.Int("slow-connections", 300);
        var sendBytes = a.Int("slow-send-mib", 15) * 1024 * 1024;
        const int Declared = 16 * 1024 * 1024; // WEBHOOK_MAX_BODY_BYTES' default: the most a body may declare
        await using var product = await StartAsync(a, "slowbody");
        using var http = new HttpClient { BaseAddress = product.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        for (var i = 0; i < 20; i++) await DeliverAsync(http, $"warm-{i}");
        await Task.Delay(2_000);
        var startKb = product.RssKb();

        using var stop = new CancellationTokenSource();
        var peakKb = startKb;
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested) { peakKb = Math.Max(peakKb, product.RssKb()); await Task.Delay(100); }
        });
        using var sent = new CountdownEvent(connections);
        var slow = Enumerable.Range(0, connections).Select(_ => Task.Run(() => SlowConnectionAsync(product.Port, Declared, sendBytes, sent, stop.Token))).ToList();
        var allSent = await Task.Run(() => sent.Wait(TimeSpan.FromSeconds(120)));
        Log.Line($"slowbody: {connections} connections {(allSent ? "have sent their bytes" : "still sending after 120 s")}; RSS {product.RssKb() / 1024} MiB");

        var latencies = new List<double>();
        var statuses = new Tally();
        for (var i = 0; i < 10; i++)
        {
            var sw = Stopwatch.StartNew();
            statuses.Add(await DeliverAsync(http, $"during-{i}"));
            latencies.Add(sw.Elapsed.TotalMilliseconds);
        }
        await stop.CancelAsync();
        var answers = new Tally();
        foreach (var status in await Task.WhenAll(slow))
            answers.Add(status switch { 0 => "open", -1 => "cut", _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await sampler;
        // Memory comes back once nothing is in flight: the last reading of a 15 s wait.
        await Task.Delay(15_000);
        var endKb = product.RssKb();

        var limitKb = (InflightBudget + 300L * 1024 * 1024) / 1024;
        var details = $"connections={connections} declared=16MiB sent={sendBytes / 1048576}MiB slow_answers={answers} " +
                      $"meta={statuses} meta_max_ms={Ms(latencies.Max())} rss_start_mb={startKb / 1024} rss_peak_mb={peakKb / 1024} " +
                      $"(limit {limitKb / 1024}) rss_end_mb={endKb / 1024} product_errors={product.ErrorLines}";
        var pass = statuses["200"] == 10 && latencies.Max() < 5_000 && peakKb <= limitKb && endKb <= startKb + 100 * 1024 && product.ErrorLines == 0;
        return Log.Verdict("slowbody", pass, details);
    }

    static async Task<string> DeliverAsync(HttpClient http, string mid)
    {
        var body = Encoding.UTF8.GetBytes($$$"""{"object":"instagram","entry":[{"id":"17841400000000001","time":1764000000,"messaging":[{"sender":{"id":"9001"},"recipient":{"id":"17841400000000001"},"timestamp":1764000000000,"message":{"mid":"{{{mid}}}-{{{Guid.NewGuid():N}}}","text":"hello"}}]}]}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/instagram") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MetaSender.Json;
        request.Headers.Add("X-Hub-Signature-256", Signing.Header(body));
        try
        {
            using var response = await http.SendAsync(request);
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            return "timeout";
        }
    }

    static readonly byte[] Spaces = Enumerable.Repeat((byte)' ', 64 * 1024).ToArray();

    /// <summary>The status the server answered; -1 when it closed the connection without one; 0 when it was still open at the end.</summary>
    static async Task<int> SlowConnectionAsync(int port, int declared, int sendBytes, CountdownEvent sent, CancellationToken stop)
    {
        using var tcp = new TcpClient { NoDelay = true };
        var signalled = false;
        Task<int>? answer = null;
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port, stop);
            var stream = tcp.GetStream();
            answer = ReadStatusAsync(stream, stop);
            await stream.WriteAsync(Raw.Ascii($"POST /api/webhooks/instagram HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
                                              $"X-Hub-Signature-256: sha256={new string('0', 64)}\r\nContent-Length: {declared}\r\n\r\n"), stop);
            for (var done = 0; done < sendBytes && !answer.IsCompleted; done += Spaces.Length)
                await stream.WriteAsync(Spaces.AsMemory(0, Math.Min(Spaces.Length, sendBytes - done)), stop);
            sent.Signal();
            signalled = true;
            while (!answer.IsCompleted && !stop.IsCancellationRequested)
            {
                await stream.WriteAsync(Spaces.AsMemory(0, 1), stop);
                await Task.WhenAny(answer, Task.Delay(1_000, stop));
            }
            return answer.IsCompletedSuccessfully ? answer.Result : 0;
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Writing fails once the server answered or cut the connection: the answer is what counts.
            if (answer is not null) await Task.WhenAny(answer, Task.Delay(1_000, CancellationToken.None));
            return answer is { IsCompletedSuccessfully: true } ? answer.Result : -1;
        }
        finally
        {
            if (!signalled) sent.Signal();
        }
    }

    static async Task<int> ReadStatusAsync(NetworkStream stream, CancellationToken stop)
    {
        var buffer = new byte[256];
        try
        {
            var read = await stream.ReadAsync(buffer, stop);
            var head = Encoding.ASCII.GetString(buffer, 0, read);
            return head.StartsWith("HTTP/1.1 ", StringComparison.Ordinal) && int.TryParse(head.AsSpan(9, 3), out var status) ? status : -1;
        }
        catch (IOException)
        {
            return -1;
        }
    }
}
