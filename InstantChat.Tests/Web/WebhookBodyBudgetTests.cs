using System.Net;
using System.Net.Sockets;
using System.Text;
using InstantChat.Core.Ingest;
using InstantChat.Tests.Browser;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Web;

/// <summary>
/// Bodies that declare a lot and trickle cannot take the host's memory: buffers grow with the bytes
/// that arrive, the bytes in flight stay within WEBHOOK_MAX_INFLIGHT_BYTES, the oldest slow bodies
/// are cut off, and Meta's deliveries keep getting their 200 (issue #14, item 3).
/// </summary>
public sealed class WebhookBodyBudgetTests : IDisposable
{
    const int MaxBody = 10 * 1024 * 1024;
    const long Budget = 2L * MaxBody;
    readonly KestrelApp _app = new(new()
    {
        ["WEBHOOK_MAX_BODY_BYTES"] = MaxBody.ToString(),
        ["WEBHOOK_MAX_INFLIGHT_BYTES"] = Budget.ToString(),
        ["WEBHOOK_WORKER_ENABLED"] = "false",
    });

    public void Dispose() => _app.Dispose();

    InflightBudget InFlight => _app.Factory.Services.GetRequiredService<InflightBudget>();

    /// <summary>Headers declaring <paramref name="declared"/> bytes, a well-formed (wrong) signature, then <paramref name="send"/> bytes; no more.</summary>
    Task<(TcpClient Client, NetworkStream Stream)> StartSlowBodyAsync(long declared, int send) => StartSlowBodyAsync(_app, declared, send);

    static async Task<(TcpClient Client, NetworkStream Stream)> StartSlowBodyAsync(KestrelApp app, long declared, int send)
    {
        var uri = new Uri(app.BaseUrl);
        var client = new TcpClient();
        await client.ConnectAsync(uri.Host, uri.Port);
        var stream = client.GetStream();
        var head = $"POST /api/webhooks/instagram HTTP/1.1\r\nHost: {uri.Authority}\r\nContent-Type: application/json\r\n" +
                   $"X-Hub-Signature-256: sha256={new string('a', 64)}\r\nContent-Length: {declared}\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await SendAsync(stream, send);
        return (client, stream);
    }

    static async Task SendAsync(NetworkStream stream, int bytes)
    {
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)' ');
        try
        {
            for (var sent = 0; sent < bytes; sent += chunk.Length)
                await stream.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, bytes - sent)));
        }
        catch (IOException)
        {
            // Refused or cut off while still sending: the answer (if any) is on the socket.
        }
    }

    /// <summary>The server's answer: its first bytes, "closed" when it closed the connection, "" when it said nothing in time.</summary>
    static async Task<string> AnswerAsync(NetworkStream stream, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var buffer = new byte[512];
        try
        {
            var read = await stream.ReadAsync(buffer, cts.Token);
            return read == 0 ? "closed" : Encoding.ASCII.GetString(buffer, 0, read);
        }
        catch (OperationCanceledException)
        {
            return "";
        }
        catch (IOException)
        {
            return "closed";
        }
    }

    [Fact]
    public async Task Post_OldBodyCannotGrowPastNewerOnes_Gets503WithRetryAfter()
    {
        const int MiB = 1024 * 1024;
        var (older, olderStream) = await StartSlowBodyAsync(declared: MaxBody, send: 8 * MiB);
        await Eventually.WaitAsync(() => Task.FromResult(InFlight.Used), used => used >= 8 * MiB);
        var (newer, _) = await StartSlowBodyAsync(declared: MaxBody, send: 8 * MiB);
        await Eventually.WaitAsync(() => Task.FromResult(InFlight.Used), used => used >= 16 * MiB);
        var (newest, _) = await StartSlowBodyAsync(declared: MaxBody, send: 3 * MiB + MiB / 2);
        await Eventually.WaitAsync(() => Task.FromResult(InFlight.Used), used => used >= 19 * MiB + MiB / 2);
        using (older)
        using (newer)
        using (newest)
        {
            // 8 + 8 + 3.5 MiB held of 20: the oldest may not push out newer ones to grow.
            await SendAsync(olderStream, MiB);

            var answer = await AnswerAsync(olderStream, TimeSpan.FromSeconds(10));
            Assert.StartsWith("HTTP/1.1 503", answer);
            Assert.Contains("Retry-After", answer, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public async Task Post_DeclaredLengthNotSent_BufferGrowsOnlyWithArrivingBytes()
    {
        var (client, _) = await StartSlowBodyAsync(declared: MaxBody, send: 1024);
        using (client)
        {
            await Eventually.WaitAsync(() => Task.FromResult(InFlight.Used), used => used > 0);

            Assert.Equal(InflightBudget.ChunkSize, InFlight.Used);
        }
    }

    [Fact]
    public async Task Post_SlowBodiesOverTheBudget_OldestAreCutOffAndMetaStillGets200()
    {
        var slow = new List<(TcpClient Client, NetworkStream Stream)>();
        var maxUsed = 0L;
        try
        {
            for (var i = 0; i < 6; i++)
            {
                slow.Add(await StartSlowBodyAsync(declared: MaxBody, send: 5 * 1024 * 1024));
                maxUsed = Math.Max(maxUsed, InFlight.Used);
            }

            var started = DateTime.UtcNow;
            var response = await _app.Factory.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message("m.meta", "still here"))));
            var elapsed = DateTime.UtcNow - started;
            maxUsed = Math.Max(maxUsed, InFlight.Used);

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(elapsed < TimeSpan.FromSeconds(5), $"took {elapsed}");
            Assert.True(maxUsed <= Budget, $"{maxUsed} bytes in flight");
            // The slow bodies pushed out lose their connection (no answer is owed to a sender still trickling).
            var answers = await Task.WhenAll(slow.Select(s => AnswerAsync(s.Stream, TimeSpan.FromSeconds(2))));
            Assert.Contains("closed", answers);
        }
        finally
        {
            foreach (var (client, _) in slow) client.Dispose();
        }
    }
}
