using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Reliability.Common;

/// <summary>Counts of outcomes by code: "200", "503", "conn" (refused/reset), "timeout", "gave-up".</summary>
sealed class Tally
{
    readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public void Add(string code) => _counts.AddOrUpdate(code, 1, (_, n) => n + 1);
    public long this[string code] => _counts.TryGetValue(code, out var n) ? n : 0;
    public IReadOnlyDictionary<string, long> Snapshot() => new Dictionary<string, long>(_counts);
    public long Count(Func<string, bool> which) => _counts.Where(kv => which(kv.Key)).Sum(kv => kv.Value);
    public long FiveHundreds => Count(c => c.Length == 3 && c[0] == '5' && c != "503");

    public override string ToString() => Format(Snapshot());

    public static string Format(IReadOnlyDictionary<string, long> counts) =>
        counts.Count == 0 ? "none" : string.Join(' ', counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}:{kv.Value}"));

    /// <summary>What was added between two snapshots.</summary>
    public static Dictionary<string, long> Diff(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.Select(kv => (kv.Key, Value: kv.Value - (before.TryGetValue(kv.Key, out var b) ? b : 0)))
            .Where(x => x.Value > 0).ToDictionary(x => x.Key, x => x.Value);
}

static class Signing
{
    public static string Header(byte[] body, string secret = Product.Secret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}

/// <summary>
/// Sends like Meta: a delivery is re-sent, byte for byte, after every answer that is not a 200 and
/// after every connection error or timeout, with a short growing delay, until it is accepted.
/// </summary>
sealed class MetaSender(HttpClient client, Uri url, Tally tally)
{
    public static HttpClient NewClient(int connections) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(3),
    })
    { Timeout = TimeSpan.FromSeconds(10) };

    public static readonly MediaTypeHeaderValue Json = new("application/json");

    /// <summary>True once a 200 came back; false when <paramref name="giveUp"/> fired first.</summary>
    public async Task<bool> DeliverAsync(byte[] body, CancellationToken giveUp, Action<string>? onFailure = null)
    {
        var signature = Signing.Header(body);
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            string code;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
                request.Content.Headers.ContentType = Json;
                request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
                using var response = await client.SendAsync(request, giveUp);
                code = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (code == "200")
                {
                    tally.Add(code);
                    return true;
                }
            }
            catch (OperationCanceledException) when (giveUp.IsCancellationRequested)
            {
                tally.Add("gave-up");
                return false;
            }
            catch (TaskCanceledException) { code = "timeout"; }
            catch (HttpRequestException) { code = "conn"; }
            tally.Add(code);
            onFailure?.Invoke(code);
            try
            {
                await Task.Delay(delay, giveUp);
            }
            catch (OperationCanceledException)
            {
                tally.Add("gave-up");
                return false;
            }
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1_000));
        }
    }
}
