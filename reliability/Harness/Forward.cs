using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using InstantChat.Testing;
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
    public static async Task<int> RunAsync(Args a)
    {
        var seconds = a.Dbl("seconds", 40);
        var kills = a.Int("kills", 3);
        var senders = a.Int("senders", 12);
        var rate = a.Dbl("rate", 300);
        var seed = a.Int("seed", Environment.TickCount);
        var random = new Random(seed);
        var mongo = a.Str("store", "sqlite") == "mongo";
        var work = a.WorkDir(mongo ? "forward-mongo" : "forward");
        var dataDir = Path.Combine(work, "data");
        await using var receiver = new Receiver();
        // On MongoDB (jongodb, which persists across the product's kills): messages are held with a
        // 2-minute lease, so those a killed host held go again only after it; the settle allows for that.
        using var jongodb = mongo ? JongodbServer.Find(Environment.CurrentDirectory) is { } binary ? new JongodbServer(binary, Product.FreePort()) : null : null;
        if (mongo && jongodb is null)
            return Log.Verdict("forward-mongo", false, "jongodb not found (.tools/jongodb; test.sh installs it with npm)", skipped: true);
        if (jongodb is not null) await jongodb.StartAsync();
        Log.Line($"forward{(mongo ? "-mongo" : "")}: {kills} kills over {seconds:0} s, {senders} senders at {rate:0} deliveries/s, seed {seed}, receiver on {receiver.Port}, work dir {work}");

        var env = Product.Environment(dataDir, jongodb?.Uri("instantchat"));
        env["DESTINATIONS_ALLOW_PRIVATE"] = "true";
        await using var product = new Product(a.WebDir(), Path.Combine(work, "product.log"), env);
        product.Start();
        await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var api = new Api(product.BaseAddress);
        var created = await api.Client.PostAsJsonAsync("/api/destinations", new
        {
            name = "reliability", url = receiver.Url("hook"), ordering = "conversation", maxConcurrency = 16,
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
            Log.Line($"kill #{k + 1}: SIGKILL with {receiver.Arrivals.Count} requests received so far");
            product.Start();
            await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        }
        while (Log.Seconds < started + seconds) await Task.Delay(50);
        var landed = await load.StopAsync(TimeSpan.FromSeconds(60));
        var drained = await api.WaitDrainedAsync(TimeSpan.FromSeconds(mongo ? 300 : 120));

        // Forwarding catches up: no message of the destination left pending.
        var pending = -1L;
        for (var i = 0; i < (mongo ? 600 : 240) && pending != 0; i++)
        {
            pending = (await api.DestinationHealthAsync(destinationId!)).Backlog;
            if (pending != 0) await Task.Delay(500);
        }
        await Task.Delay(500);
        var completed = (await api.AllEventsAsync("eventType=messages&status=completed")).Select(e => e.EventId).ToHashSet();
        var (missing, mixedIds, copies, outOfOrder, conversations, missingIds) = receiver.Check(completed);
        var pass = landed && drained.Seconds is not null && pending == 0 && missing == 0 && mixedIds == 0 && outOfOrder == 0 && product.Starts == kills + 1;
        foreach (var id in missingIds.Take(5)) Log.Line($"  not received: event {id}");
        var details = string.Create(CultureInfo.InvariantCulture,
            $"kills={kills} completed_message_events={completed.Count} requests={receiver.Arrivals.Count} copies_after_kills={copies} " +
            $"missing={missing} differing_webhook_ids={mixedIds} out_of_order={outOfOrder} conversations={conversations} " +
            $"pending_left={pending} drain_s={(drained.Seconds is { } d ? d.ToString("0.0", CultureInfo.InvariantCulture) : "timeout")}");
        return Log.Verdict(mongo ? "forward-mongo" : "forward", pass, details);
    }
}
