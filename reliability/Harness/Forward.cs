using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Reliability.Common;

namespace Reliability;

/// <summary>
/// kill -9 while events are being forwarded (issue #17): a destination with conversation ordering
/// on a receiver in this process, load, kills and restarts on the same DATA_DIR. After the drain:
/// every completed message event reached the receiver at least once; every copy of one event
/// carried the same webhook-id; and in each conversation the first arrivals came in the order the
/// events were received (two received more than 50 ms apart never arrive the other way round).
/// </summary>
static class Forward
{
    sealed record Arrival(long Order, string WebhookId, string EventId, DateTimeOffset ReceivedAt, string Conversation);

    public static async Task<int> RunAsync(Args a)
    {
        var seconds = a.Dbl("seconds", 40);
        var kills = a.Int("kills", 3);
        var senders = a.Int("senders", 12);
        var rate = a.Dbl("rate", 300);
        var seed = a.Int("seed", Environment.TickCount);
        var random = new Random(seed);
        var work = a.WorkDir("forward");
        var dataDir = Path.Combine(work, "data");
        var arrivals = new ConcurrentQueue<Arrival>();
        long order = 0;
        var receiverPort = Product.FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{receiverPort}/");
        listener.Start();
        var receiving = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await listener.GetContextAsync(); } catch { return; }
                try
                {
                    using var body = await JsonDocument.ParseAsync(context.Request.InputStream);
                    var e = body.RootElement;
                    string? Str(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
                    var (account, sender, recipient) = (Str("accountId"), Str("senderId"), Str("recipientId"));
                    var participant = sender == account ? recipient : sender;
                    arrivals.Enqueue(new Arrival(Interlocked.Increment(ref order), context.Request.Headers["webhook-id"] ?? "", Str("eventId") ?? "",
                        DateTimeOffset.Parse(Str("receivedAt") ?? "1970-01-01T00:00:00Z", CultureInfo.InvariantCulture), $"{account}:{participant}"));
                    context.Response.StatusCode = 204;
                }
                catch
                {
                    context.Response.StatusCode = 400;
                }
                context.Response.Close();
            }
        });
        Log.Line($"forward: {kills} kills over {seconds:0} s, {senders} senders at {rate:0} deliveries/s, seed {seed}, receiver on {receiverPort}, work dir {work}");

        var env = Product.Environment(dataDir);
        env["DESTINATIONS_ALLOW_PRIVATE"] = "true";
        await using var product = new Product(a.WebDir(), Path.Combine(work, "product.log"), env);
        product.Start();
        await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var api = new Api(product.BaseAddress);
        var created = await api.Client.PostAsJsonAsync("/api/destinations", new
        {
            name = "reliability", url = $"http://127.0.0.1:{receiverPort}/hook", ordering = "conversation", maxConcurrency = 16,
            filter = new { eventTypes = new[] { "messages" } },
        });
        var destinationId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("destinationId").GetString();
        var load = new Load(product.BaseAddress, senders, rate);
        load.Start();
        var slice = seconds / (kills + 1);
        var started = Log.Seconds;
        for (var k = 0; k < kills; k++)
        {
            var at = started + slice * k + slice * (0.35 + 0.6 * random.NextDouble());
            while (Log.Seconds < at) await Task.Delay(20);
            product.Kill();
            Log.Line($"kill #{k + 1}: SIGKILL with {arrivals.Count} requests received so far");
            product.Start();
            await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        }
        while (Log.Seconds < started + seconds) await Task.Delay(50);
        var landed = await load.StopAsync(TimeSpan.FromSeconds(60));
        var drained = await api.WaitDrainedAsync(TimeSpan.FromSeconds(120));

        // Forwarding catches up: no message of the destination left pending.
        var pending = -1L;
        for (var i = 0; i < 240 && pending != 0; i++)
        {
            var health = await api.Client.GetFromJsonAsync<JsonElement>("/api/destinations/health");
            pending = health.GetProperty("items").EnumerateArray().Single(d => d.GetProperty("destinationId").GetString() == destinationId).GetProperty("backlog").GetInt64();
            if (pending != 0) await Task.Delay(500);
        }
        await Task.Delay(500);
        var completed = (await api.AllEventsAsync("eventType=messages&status=completed")).Select(e => e.EventId).ToHashSet();
        var received = arrivals.ToList();
        var byEvent = received.GroupBy(r => r.EventId).ToDictionary(g => g.Key, g => g.ToList());
        var missing = completed.Where(id => !byEvent.ContainsKey(id)).ToList();
        var mixedIds = byEvent.Values.Count(g => g.Select(r => r.WebhookId).Distinct().Count() > 1);
        var copies = received.Count - byEvent.Count;
        var firsts = byEvent.Values.Select(g => g.MinBy(r => r.Order)!).ToList();
        var outOfOrder = firsts.GroupBy(r => r.Conversation).Sum(g =>
        {
            // Deliveries that arrived within a few milliseconds of each other (concurrent senders) have no order to keep.
            var inArrival = g.OrderBy(r => r.Order).Select(r => r.ReceivedAt).ToList();
            return inArrival.Zip(inArrival.Skip(1)).Count(p => p.First - p.Second > TimeSpan.FromMilliseconds(50));
        });
        listener.Stop();
        await receiving;
        var pass = landed && drained.Seconds is not null && pending == 0 && missing.Count == 0 && mixedIds == 0 && outOfOrder == 0 && product.Starts == kills + 1;
        foreach (var id in missing.Take(5)) Log.Line($"  not received: event {id}");
        var details = string.Create(CultureInfo.InvariantCulture,
            $"kills={kills} completed_message_events={completed.Count} requests={received.Count} events_received={byEvent.Count} copies_after_kills={copies} " +
            $"missing={missing.Count} differing_webhook_ids={mixedIds} out_of_order={outOfOrder} conversations={firsts.Select(f => f.Conversation).Distinct().Count()} " +
            $"pending_left={pending} drain_s={(drained.Seconds is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "timeout")}");
        return Log.Verdict("forward", pass, details);
    }
}
