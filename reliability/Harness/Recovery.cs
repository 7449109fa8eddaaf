using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Reliability.Common;

namespace Reliability;

/// <summary>
/// A destination's receiver down for a while, then back (issue #17): load all along; while the
/// receiver answers 503 to everything the destination's circuit opens and its alert opens (and is sent
/// to the alert URL); once it answers again, everything is delivered (each event once or more, one
/// webhook-id, conversations in order), the circuit closes and the alert resolves (and that is sent
/// too). Reports how long each took after the receiver came back.
/// </summary>
static class Recovery
{
    public static async Task<int> RunAsync(Args a)
    {
        var before = a.Dbl("before", 15);
        var outage = a.Dbl("outage", 600);
        var after = a.Dbl("after", 20);
        var settle = a.Dbl("settle-seconds", 240);
        var work = a.WorkDir("recovery");
        await using var receiver = new Receiver();
        Log.Line($"recovery: receiver down for {outage:0} s after {before:0} s, load for {after:0} s after, receiver on {receiver.Port}, work dir {work}");

        var env = Product.Environment(Path.Combine(work, "data"));
        env["DESTINATIONS_ALLOW_PRIVATE"] = "true";
        await using var product = new Product(a.WebDir(), Path.Combine(work, "product.log"), env);
        product.Start();
        await product.WaitHealthyAsync(TimeSpan.FromSeconds(60));
        using var api = new Api(product.BaseAddress);
        var rules = await api.Client.GetFromJsonAsync<JsonElement>("/api/alerts/rules");
        var withNotify = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(rules.GetRawText())!;
        withNotify["notifyUrl"] = JsonSerializer.SerializeToElement(receiver.Url("alerts"));
        (await api.Client.PutAsJsonAsync("/api/alerts/rules", withNotify)).EnsureSuccessStatusCode();
        var created = await api.Client.PostAsJsonAsync("/api/destinations", new
        {
            name = "recovery", url = receiver.Url("hook"), ordering = "conversation", maxConcurrency = 16,
            filter = new { eventTypes = new[] { "messages" } },
        });
        created.EnsureSuccessStatusCode();
        var destinationId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("destinationId").GetString()!;

        var load = new Load(product.BaseAddress, a.Int("senders", 4), a.Dbl("rate", 40));
        load.Start();
        var start = Log.Seconds;
        while (Log.Seconds < start + before) await Task.Delay(100);
        receiver.Down = true;
        var downAt = Log.Seconds;
        Log.Line($"receiver down: {receiver.Arrivals.Count} requests received so far");
        double? circuitOpened = null, alertOpened = null;
        while (Log.Seconds < downAt + outage)
        {
            if (circuitOpened is null && (await api.DestinationHealthAsync(destinationId)).Circuit == "open") circuitOpened = Log.Seconds - downAt;
            if (alertOpened is null && (await api.AlertAsync("destinationFailing", destinationId)).Open) alertOpened = Log.Seconds - downAt;
            await Task.Delay(1000);
        }
        receiver.Down = false;
        var upAt = Log.Seconds;
        Log.Line($"receiver back after {outage:0} s: {receiver.Cut} requests refused; circuit opened after {(circuitOpened is { } c ? $"{c:0.0} s" : "-")}, alert after {(alertOpened is { } o ? $"{o:0.0} s" : "- (not yet)")}");

        // Recovered: nothing pending, the circuit closed, the alert resolved (load still running for `after` seconds).
        double? drained = null, closed = null, resolved = null;
        var loadStopped = false;
        while (Log.Seconds < upAt + Math.Max(after, settle) && (drained is null || closed is null || resolved is null || !loadStopped))
        {
            if (!loadStopped && Log.Seconds >= upAt + after) { loadStopped = await load.StopAsync(TimeSpan.FromSeconds(60)) || true; drained = null; }
            var (backlog, circuit) = await api.DestinationHealthAsync(destinationId);
            drained = backlog == 0 && loadStopped ? drained ?? Log.Seconds - upAt : null;
            closed = circuit == "closed" ? closed ?? Log.Seconds - upAt : null;
            // The alert may open only after the receiver is back (rules run every 30 s; the circuit opens once
            // the failures outweigh the successes of its 30 s window): it has to have opened before it counts as resolved.
            var alert = await api.AlertAsync("destinationFailing", destinationId);
            if (alert.Open) alertOpened ??= Log.Seconds - downAt;
            resolved = alertOpened is not null && !alert.Open ? resolved ?? Log.Seconds - upAt : null;
            await Task.Delay(500);
        }
        var settled = await api.WaitDrainedAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        var completed = (await api.AllEventsAsync("eventType=messages&status=completed")).Select(e => e.EventId).ToHashSet();
        var (missing, mixedIds, copies, outOfOrder, conversations, missingIds) = receiver.Check(completed);
        var texts = receiver.AlertTexts.ToList();
        var notifiedOpen = texts.Any(t => t.StartsWith("InstantChat alert: Destination recovery", StringComparison.Ordinal));
        var notifiedResolved = texts.Any(t => t.StartsWith("InstantChat alert resolved: Destination recovery", StringComparison.Ordinal));
        foreach (var id in missingIds.Take(3))
            Log.Line($"  not received: event {id}: {await api.Client.GetStringAsync($"/api/webhooks/events/{id}/deliveries")}");
        var pass = settled.Seconds is not null && circuitOpened is not null && alertOpened is not null && drained is not null && closed is not null && resolved is not null
            && missing == 0 && mixedIds == 0 && outOfOrder == 0 && notifiedOpen && notifiedResolved && receiver.Cut > 0;
        static string S(double? s) => s is { } v ? v.ToString("0.0", CultureInfo.InvariantCulture) : "never";
        var details = string.Create(CultureInfo.InvariantCulture,
            $"outage_s={outage:0} requests_refused={receiver.Cut} circuit_opened_after_s={S(circuitOpened)} alert_opened_after_outage_began_s={S(alertOpened)} " +
            $"after_recovery: all_delivered_s={S(drained)} circuit_closed_s={S(closed)} alert_resolved_s={S(resolved)} " +
            $"completed_message_events={completed.Count} missing={missing} copies={copies} differing_webhook_ids={mixedIds} out_of_order={outOfOrder} conversations={conversations} " +
            $"notified_open={notifiedOpen} notified_resolved={notifiedResolved}");
        return Log.Verdict("recovery", pass, details);
    }
}
