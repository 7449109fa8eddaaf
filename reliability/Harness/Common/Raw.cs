using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Reliability.Common;

/// <summary>The first answer on a raw connection: its status (0 = none), how long it took, whether the server closed.</summary>
sealed record RawAnswer(int Status, double Seconds, bool ClosedWithoutAnswer)
{
    public override string ToString() => ClosedWithoutAnswer
        ? string.Create(CultureInfo.InvariantCulture, $"closed without an answer after {Seconds:0.0} s")
        : Status == 0 ? string.Create(CultureInfo.InvariantCulture, $"no answer within {Seconds:0.0} s")
        : string.Create(CultureInfo.InvariantCulture, $"{Status} after {Seconds:0.0} s");
}

/// <summary>HTTP/1.1 written by hand, for framing that HttpClient refuses to produce.</summary>
static class Raw
{
    /// <summary>
    /// Connects, runs <paramref name="write"/> while reading concurrently (a server may answer and
    /// close before the request is complete), and returns the status line of the first answer.
    /// </summary>
    public static async Task<RawAnswer> ExchangeAsync(int port, Func<NetworkStream, CancellationToken, Task> write, TimeSpan timeout)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync("127.0.0.1", port);
        var stream = tcp.GetStream();
        var sw = Stopwatch.StartNew();
        using var cts = new CancellationTokenSource(timeout);
        var reader = ReadStatusAsync(stream, cts.Token);
        var writer = Task.Run(async () =>
        {
            try { await write(stream, cts.Token); }
            catch (Exception ex) when (ex is IOException or OperationCanceledException or SocketException or ObjectDisposedException) { }
        });
        var (status, closed) = await reader;
        var seconds = sw.Elapsed.TotalSeconds;
        await cts.CancelAsync();
        try { await writer; } catch (OperationCanceledException) { }
        return new RawAnswer(status, seconds, closed);
    }

    static async Task<(int Status, bool Closed)> ReadStatusAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new byte[4096];
        var head = new StringBuilder();
        try
        {
            while (true)
            {
                var n = await stream.ReadAsync(buffer, ct);
                if (n == 0) return head.Length == 0 ? (0, true) : (Parse(head.ToString()), false);
                head.Append(Encoding.ASCII.GetString(buffer, 0, n));
                var text = head.ToString();
                if (text.Contains("\r\n", StringComparison.Ordinal)) return (Parse(text), false);
            }
        }
        catch (OperationCanceledException) { return (0, false); }
        catch (IOException) { return head.Length == 0 ? (0, true) : (Parse(head.ToString()), false); }
    }

    static int Parse(string head)
    {
        var parts = head.Split(' ', 3);
        return parts.Length >= 2 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : -1;
    }

    public static byte[] Ascii(string s) => Encoding.ASCII.GetBytes(s);
}
