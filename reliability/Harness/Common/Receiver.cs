using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Reliability.Common;

/// <summary>One request a destination's receiver took: its arrival order, webhook-id, event and conversation (account:participant).</summary>
sealed record Arrival(long Order, string WebhookId, string EventId, DateTimeOffset ReceivedAt, string Conversation);

/// <summary>
/// The team's service, played by the harness: takes the product's forwarded events (any path but
/// /alerts) and alert notifications (<c>{"text"}</c> on /alerts). While <see cref="Down"/>, it answers
/// every forwarded request 503, as the proxy in front of a crashed service does. (HttpListener's
/// Response.Abort() answers 200 on Linux, so it cannot play a cut connection.)
/// </summary>
sealed class Receiver : IAsyncDisposable
{
    readonly HttpListener _listener = new();
    readonly Task _loop;
    long _order, _cut;
    volatile bool _down;

    public Receiver()
    {
        Port = Product.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }
    public ConcurrentQueue<Arrival> Arrivals { get; } = new();
    public ConcurrentQueue<string> AlertTexts { get; } = new();
    /// <summary>Forwarded requests answered 503 while down.</summary>
    public long Cut => Interlocked.Read(ref _cut);
    public bool Down { get => _down; set => _down = value; }
    public string Url(string path) => $"http://127.0.0.1:{Port}/{path}";

    async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); } catch { return; }
            // Numbered as they come; handled side by side (the product sends up to maxConcurrency at once).
            var order = Interlocked.Increment(ref _order);
            _ = Task.Run(() => HandleAsync(context, order));
        }
    }

    async Task HandleAsync(HttpListenerContext context, long order)
    {
        try
        {
            var alert = context.Request.Url?.AbsolutePath.StartsWith("/alerts", StringComparison.Ordinal) == true;
            if (!alert && _down)
            {
                Interlocked.Increment(ref _cut);
                context.Response.StatusCode = 503;
                context.Response.Close();
                return;
            }
            using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
            var e = body.RootElement;
            string? Str(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            if (alert) AlertTexts.Enqueue(Str("text") ?? "");
            else
            {
                var (account, sender, recipient) = (Str("accountId"), Str("senderId"), Str("recipientId"));
                var participant = sender == account ? recipient : sender;
                Arrivals.Enqueue(new Arrival(order, context.Request.Headers["webhook-id"] ?? "", Str("eventId") ?? "",
                    DateTimeOffset.Parse(Str("receivedAt") ?? "1970-01-01T00:00:00Z", CultureInfo.InvariantCulture), $"{account}:{participant}"));
            }
            context.Response.StatusCode = 204;
        }
        catch
        {
            context.Response.StatusCode = 400;
        }
        try { context.Response.Close(); } catch (ObjectDisposedException) { } catch (HttpListenerException) { }
    }

    /// <summary>
    /// What arrived, checked against the events that should have: every one received at least once,
    /// one webhook-id per event, and in each conversation the first arrivals in the order the events
    /// were received (two received more than 50 ms apart never arrive the other way round).
    /// </summary>
    public (int Missing, int DifferingIds, int Copies, int OutOfOrder, int Conversations, IReadOnlyList<string> MissingIds) Check(IReadOnlySet<string> expected)
    {
        var received = Arrivals.ToList();
        var byEvent = received.GroupBy(r => r.EventId).ToDictionary(g => g.Key, g => g.ToList());
        var missing = expected.Where(id => !byEvent.ContainsKey(id)).ToList();
        var firsts = byEvent.Values.Select(g => g.MinBy(r => r.Order)!).ToList();
        var outOfOrder = firsts.GroupBy(r => r.Conversation).Sum(g =>
        {
            // Deliveries that arrived within a few milliseconds of each other (concurrent senders) have no order to keep.
            var inArrival = g.OrderBy(r => r.Order).Select(r => r.ReceivedAt).ToList();
            return inArrival.Zip(inArrival.Skip(1)).Count(p => p.First - p.Second > TimeSpan.FromMilliseconds(50));
        });
        return (missing.Count, byEvent.Values.Count(g => g.Select(r => r.WebhookId).Distinct().Count() > 1), received.Count - byEvent.Count,
            outOfOrder, firsts.Select(f => f.Conversation).Distinct().Count(), missing);
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop;
        _listener.Close();
    }
}
