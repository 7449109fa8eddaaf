using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Reliability.Common;

namespace Reliability;

// Size limits, HTTP framing over raw sockets and slow clients: what Kestrel must refuse or cut off
// before the app holds a whole body, without slowing normal deliveries.
static partial class BadInput
{
    static IEnumerable<Case> SizeCases(Context ctx)
    {
        const int limit = 16 * 1024 * 1024;
        yield return new("size", "Content-Length 17 MiB, body never sent", "413 at once, from the header", async () =>
        {
            var answer = await Raw.ExchangeAsync(ctx.Product.Port, async (s, ct) =>
                await s.WriteAsync(Raw.Ascii($"POST /api/webhooks/instagram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                    $"X-Hub-Signature-256: sha256={new string('a', 64)}\r\nContent-Length: {17 * 1024 * 1024}\r\n\r\n"), ct), TimeSpan.FromSeconds(10));
            ctx.Saw(answer.Status);
            return answer.Status == 413 && answer.Seconds < 2 ? null : $"got {answer}";
        });
        yield return new("size", "chunked body growing past 16 MiB", "413 while reading, nothing held whole", async () =>
        {
            var chunk = new byte[1 << 20];
            Array.Fill(chunk, (byte)'a');
            var answer = await Raw.ExchangeAsync(ctx.Product.Port, async (s, ct) =>
            {
                await s.WriteAsync(Raw.Ascii($"POST /api/webhooks/instagram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n" +
                    $"X-Hub-Signature-256: sha256={new string('a', 64)}\r\nTransfer-Encoding: chunked\r\n\r\n"), ct);
                for (var i = 0; i < 24; i++)
                {
                    await s.WriteAsync(Raw.Ascii($"{chunk.Length:x}\r\n"), ct);
                    await s.WriteAsync(chunk, ct);
                    await s.WriteAsync(Raw.Ascii("\r\n"), ct);
                }
                await s.WriteAsync(Raw.Ascii("0\r\n\r\n"), ct);
            }, TimeSpan.FromSeconds(30));
            ctx.Saw(answer.Status);
            return answer.Status == 413 ? null : $"got {answer}";
        });
        yield return new("size", "signed body of 16 MiB + 1 byte", "413, nothing stored", async () =>
        {
            var account = ctx.NewAccount();
            var body = Message(account, ctx.NewMid(), "", padTo: limit + 1);
            var status = await PostSignedAsync(ctx, body);
            return status != 413 ? $"got {status}" : await NothingStoredAsync(ctx, account);
        });
        yield return new("size", "signed 10 MiB delivery (a 10 MiB text)", "200, stored (SPEC: at least 10 MiB accepted)", async () =>
        {
            var account = ctx.NewAccount();
            var body = Message(account, ctx.NewMid(), "", padTo: 10 * 1024 * 1024);
            var status = await PostSignedAsync(ctx, body);
            return status != 200 ? $"got {status}" : await StoredAsync(ctx, account, 1);
        });
    }

    static IEnumerable<Case> FramingCases(Context ctx)
    {
        string Head(string account, string extra) =>
            $"POST /api/webhooks/instagram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Hub-Signature-256: {Signing.Header(Message(account, "m", "x"))}\r\n{extra}\r\n";
        Case Framing(string name, string expected, Func<string, Func<NetworkStream, CancellationToken, Task>> write, Func<RawAnswer, bool> ok) =>
            new("framing", name, expected, async () =>
            {
                var account = ctx.NewAccount();
                var answer = await Raw.ExchangeAsync(ctx.Product.Port, write(account), TimeSpan.FromSeconds(20));
                ctx.Saw(answer.Status);
                if (!ok(answer)) return $"got {answer}";
                return await NothingStoredAsync(ctx, account);
            });

        yield return Framing("Content-Length 2000, 1000 bytes sent, then the client stops sending", "400 (or closed), nothing stored",
            acct => async (s, ct) =>
            {
                var body = Message(acct, ctx.NewMid(), "half", padTo: 2000);
                await s.WriteAsync(Raw.Ascii(Head(acct, "Content-Length: 2000\r\n")), ct);
                await s.WriteAsync(body.AsMemory(0, 1000), ct);
                s.Socket.Shutdown(SocketShutdown.Send);
            }, a => a.Status == 400 || a.ClosedWithoutAnswer);
        yield return Framing("invalid chunk size", "400, nothing stored",
            acct => async (s, ct) => await s.WriteAsync(Raw.Ascii(Head(acct, "Transfer-Encoding: chunked\r\n") + "zz\r\nabc\r\n0\r\n\r\n"), ct),
            a => a.Status == 400);
        yield return Framing("Content-Length: abc", "400, nothing stored",
            acct => async (s, ct) => await s.WriteAsync(Raw.Ascii(Head(acct, "Content-Length: abc\r\n") + "{}"), ct),
            a => a.Status == 400);
        yield return Framing("Content-Length and Transfer-Encoding together (request smuggling shape)", "400, nothing stored",
            acct => async (s, ct) => await s.WriteAsync(Raw.Ascii(Head(acct, "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n"), ct),
            a => a.Status is 400 or 401);
        yield return Framing("a 64 KiB header", "431, nothing stored",
            acct => async (s, ct) => await s.WriteAsync(Raw.Ascii(Head(acct, $"X-Junk: {new string('j', 64 * 1024)}\r\nContent-Length: 2\r\n") + "{}"), ct),
            a => a.Status == 431);
        yield return Framing("garbage request line", "400",
            _ => async (s, ct) => await s.WriteAsync(Raw.Ascii("\u0001\u0002 NOT HTTP AT ALL\r\n\r\n"), ct),
            a => a.Status == 400 || a.ClosedWithoutAnswer);
    }

    static async Task<string?> SlowLorisAsync(Context ctx, int bodies, int headers)
    {
        var port = ctx.Product.Port;
        var signature = $"sha256={new string('b', 64)}";
        var slowBodies = Enumerable.Range(0, bodies).Select(_ => Raw.ExchangeAsync(port, async (s, ct) =>
        {
            await s.WriteAsync(Raw.Ascii($"POST /api/webhooks/instagram HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Hub-Signature-256: {signature}\r\nContent-Length: 1000\r\n\r\n"), ct);
            for (var i = 0; i < 1000; i++)
            {
                await s.WriteAsync(new[] { (byte)'{' }, ct);
                await Task.Delay(1000, ct);
            }
        }, TimeSpan.FromSeconds(60))).ToList();
        var slowHeaders = Enumerable.Range(0, headers).Select(_ => Raw.ExchangeAsync(port, async (s, ct) =>
        {
            foreach (var b in Raw.Ascii("POST /api/webhooks/instagram HTTP/1.1\r\nHost: x\r\nX-Slow: " + new string('s', 200)))
            {
                await s.WriteAsync(new[] { b }, ct);
                await Task.Delay(1000, ct);
            }
        }, TimeSpan.FromSeconds(60))).ToList();

        // Meanwhile, ordinary deliveries keep coming and must be answered promptly.
        var latencies = new List<double>();
        var problems = new List<string>();
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(12))
        {
            var account = ctx.NewAccount();
            var body = Message(account, ctx.NewMid(), "during slow-loris");
            var t = Stopwatch.StartNew();
            var status = await PostSignedAsync(ctx, body);
            latencies.Add(t.Elapsed.TotalSeconds);
            if (status != 200) problems.Add($"a normal delivery got {status}");
            await Task.Delay(300);
        }
        var bodyAnswers = await Task.WhenAll(slowBodies);
        var headerAnswers = await Task.WhenAll(slowHeaders);
        foreach (var a in bodyAnswers.Concat(headerAnswers)) ctx.Saw(a.Status);
        var slowestBody = bodyAnswers.Max(a => a.Seconds);
        var slowestHeader = headerAnswers.Select(a => a.Seconds).DefaultIfEmpty().Max(); // none with --slow-headers 0
        var bodyOutcomes = string.Join(' ', bodyAnswers.GroupBy(a => a.ClosedWithoutAnswer ? "closed" : a.Status.ToString(CultureInfo.InvariantCulture)).Select(g => $"{g.Key}:{g.Count()}"));
        var headerOutcomes = string.Join(' ', headerAnswers.GroupBy(a => a.ClosedWithoutAnswer ? "closed" : a.Status.ToString(CultureInfo.InvariantCulture)).Select(g => $"{g.Key}:{g.Count()}"));
        var headerLine = headers > 0 ? string.Create(CultureInfo.InvariantCulture, $"slow headers ended after ≤ {slowestHeader:0.0} s [{headerOutcomes}]") : "no slow headers";
        Log.Line(string.Create(CultureInfo.InvariantCulture,
            $"  slow-loris: {latencies.Count} normal deliveries, slowest {latencies.Max():0.00} s; slow bodies ended after ≤ {slowestBody:0.0} s [{bodyOutcomes}]; {headerLine}"));
        if (latencies.Max() > 2) problems.Add(string.Create(CultureInfo.InvariantCulture, $"a normal delivery took {latencies.Max():0.0} s"));
        if (bodyAnswers.Any(a => a.Status == 0 && !a.ClosedWithoutAnswer) || slowestBody > 20) problems.Add($"slow bodies were not cut within 20 s ({bodyOutcomes})");
        if (headerAnswers.Any(a => a.Status == 0 && !a.ClosedWithoutAnswer) || slowestHeader > 45) problems.Add($"slow headers were not cut within 45 s ({headerOutcomes})");
        return problems.Count == 0 ? null : string.Join("; ", problems.Distinct());
    }
}
