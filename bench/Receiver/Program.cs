// A local receiver for the forwarding benchmark: POST /{name} records, per destination name, the
// webhook-id and how long after the event's receivedAt (its 200) the request arrived; answers 204
// (after --delay-ms, to play a slow service). GET /stats/{name}[?since=T] → count, distinct ids, latency
// percentiles, first and last arrival (Unix seconds). Usage: dotnet Receiver.dll --urls http://127.0.0.1:P [--delay-ms N]
using System.Collections.Concurrent;
using System.Text.Json;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
var delay = int.Parse(app.Configuration["delay-ms"] ?? "0");
var seen = new ConcurrentDictionary<string, ConcurrentBag<(string Id, double LatencyMs, double At, double ReceivedAt)>>();

app.MapPost("/{name}", async (string name, HttpRequest request) =>
{
    using var body = await JsonDocument.ParseAsync(request.Body);
    var now = DateTimeOffset.UtcNow;
    var receivedAt = body.RootElement.TryGetProperty("receivedAt", out var r) ? r.GetDateTimeOffset() : (DateTimeOffset?)null;
    var latency = receivedAt is { } at ? (now - at).TotalMilliseconds : double.NaN;
    seen.GetOrAdd(name, _ => []).Add((request.Headers["webhook-id"].ToString(), latency, now.ToUnixTimeMilliseconds() / 1000.0, (receivedAt?.ToUnixTimeMilliseconds() ?? 0) / 1000.0));
    if (delay > 0) await Task.Delay(delay);
    return Results.NoContent();
});

app.MapGet("/stats/{name}", (string name, double? since) =>
{
    var all = seen.TryGetValue(name, out var bag) ? bag.ToArray() : [];
    // ?since=T (Unix seconds): latency of the events received from T on only (a steady state after a ramp).
    var sorted = all.Where(x => x.ReceivedAt >= (since ?? 0)).Select(x => x.LatencyMs).Where(x => !double.IsNaN(x)).Order().ToArray();
    double P(double p) => sorted.Length == 0 ? 0 : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    return Results.Ok(new
    {
        count = all.Length, distinct = all.Select(x => x.Id).Distinct().Count(),
        p50_ms = P(0.5), p99_ms = P(0.99), max_ms = sorted.LastOrDefault(),
        first = all.Length == 0 ? 0 : all.Min(x => x.At), last = all.Length == 0 ? 0 : all.Max(x => x.At),
        // The worst latency of each second of arrivals: a start-up transient and a steady tail look different here.
        max_ms_by_second = all.Where(x => !double.IsNaN(x.LatencyMs)).GroupBy(x => (long)x.At).OrderBy(g => g.Key).Select(g => Math.Round(g.Max(x => x.LatencyMs))).ToArray(),
    });
});

app.Run();
