using System.Text;
using System.Text.Json;
using Reliability.Common;

namespace Reliability;

// Shared by every group: building deliveries, posting them, and checking what was stored.
static partial class BadInput
{
    static byte[] U(string s) => Encoding.UTF8.GetBytes(s);

    static string JsonString(string s) => JsonSerializer.Serialize(s);

    static string MessagingItem(string account, string mid, string text, string timestamp = "1764000000123") =>
        $"{{\"sender\":{{\"id\":\"900000001\"}},\"recipient\":{{\"id\":\"{account}\"}},\"timestamp\":{timestamp},\"message\":{{\"mid\":\"{mid}\",\"text\":{JsonString(text)}}}}}";

    /// <summary>A valid one-message delivery; <paramref name="padTo"/> pads the text to reach that many bytes.</summary>
    static byte[] Message(string account, string mid, string text, int padTo = 0, (string Name, string RawJson)? extraMessageField = null, bool rawText = false)
    {
        var textJson = rawText ? $"\"{text}\"" : JsonString(text);
        string Build(string t) =>
            $"{{\"object\":\"instagram\",\"entry\":[{{\"id\":\"{account}\",\"time\":1764000000123,\"messaging\":[{{\"sender\":{{\"id\":\"900000001\"}}," +
            $"\"recipient\":{{\"id\":\"{account}\"}},\"timestamp\":1764000000123,\"message\":{{\"mid\":\"{mid}\",\"text\":{t}" +
            (extraMessageField is { } f ? $",\"{f.Name}\":{f.RawJson}" : "") + "}}]}]}";
        var body = Build(textJson);
        if (padTo > body.Length) body = Build(JsonString(text + new string('p', padTo - body.Length)));
        return U(body);
    }

    const string InstagramRoute = "/api/webhooks/instagram";

    static async Task<int> PostAsync(Context ctx, byte[] body, Action<HttpRequestMessage> configure, string path = InstagramRoute)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MetaSender.Json;
        configure(request);
        try
        {
            using var response = await ctx.Http.SendAsync(request);
            ctx.Saw((int)response.StatusCode);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            // The server may answer (413) and close while the client is still sending.
            return -1;
        }
    }

    static Task<int> PostSignedAsync(Context ctx, byte[] body, string path = InstagramRoute) =>
        PostAsync(ctx, body, r => r.Headers.TryAddWithoutValidation("X-Hub-Signature-256", Signing.Header(body)), path);

    static async Task<(int Status, string Text)> PostSignedWithBodyAsync(Context ctx, byte[] body, string path = InstagramRoute)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = MetaSender.Json;
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", Signing.Header(body));
        using var response = await ctx.Http.SendAsync(request);
        ctx.Saw((int)response.StatusCode);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    static async Task<string?> ExpectNormalAsync(Context ctx, string text, string account)
    {
        var status = await PostSignedAsync(ctx, Message(account, ctx.NewMid(), text));
        return status != 200 ? $"got {status}" : await StoredAsync(ctx, account, 1);
    }

    static async Task<string?> ExpectKeptFailedAsync(Context ctx, byte[] body, string path = InstagramRoute)
    {
        var (status, text) = await PostSignedWithBodyAsync(ctx, body, path);
        if (status != 200) return $"got {status}: {Short(text)}";
        var deliveryId = JsonDocument.Parse(text).RootElement.GetProperty("deliveryId").GetString()!;
        if (await SettleAsync(ctx) is { } late) return late;
        var failed = await ctx.Api.AllEventsAsync("eventType=unknown&status=failed");
        var mine = failed.Where(e => e.DeliveryId == deliveryId).ToList();
        if (mine.Count == 0)
        {
            // Sent before (the same bytes, e.g. the empty body)? Then it is a duplicate of a kept one.
            var (found, _, duplicates) = await DeliveryCountsAsync(ctx, deliveryId);
            if (found && duplicates == 1) return null;
            var all = await ctx.Api.AllEventsAsync();
            var other = all.Where(e => e.DeliveryId == deliveryId).Select(e => $"{e.EventType}/{e.Status}");
            return $"200 but no failed unknown event for delivery {deliveryId}; its events: [{string.Join(", ", other)}]";
        }
        return mine[0].LastError?.StartsWith("unparseable", StringComparison.Ordinal) == true ? null : $"lastError is '{mine[0].LastError}'";
    }

    /// <summary>The delivery is stored, and each of its new events reads back through the list and the detail API.</summary>
    static async Task<string?> DeliveryKeptAsync(Context ctx, string acceptedJson)
    {
        var deliveryId = JsonDocument.Parse(acceptedJson).RootElement.GetProperty("deliveryId").GetString()!;
        if (await SettleAsync(ctx) is { } late) return late;
        var (found, events, duplicates) = await DeliveryCountsAsync(ctx, deliveryId);
        if (!found) return $"delivery {deliveryId} not found once processed";
        var stored = events - duplicates;
        var mine = (await ctx.Api.AllEventsAsync()).Where(e => e.DeliveryId == deliveryId).ToList();
        if (mine.Count != stored) return $"{mine.Count} events listed for the delivery, expected {stored}";
        foreach (var e in mine)
        {
            using var one = await ctx.Api.Client.GetAsync($"/api/webhooks/events/{e.EventId}");
            ctx.Saw((int)one.StatusCode);
            if ((int)one.StatusCode != 200) return $"GET event {e.EventId} → {(int)one.StatusCode}";
        }
        return stored >= 1 ? null : "accepted with no new event";
    }

    /// <summary>The delivery's record once processed: found, how many events it brought, how many were already stored.</summary>
    static async Task<(bool Found, int Events, int Duplicates)> DeliveryCountsAsync(Context ctx, string deliveryId)
    {
        using var response = await ctx.Api.Client.GetAsync($"/api/webhooks/deliveries/{deliveryId}");
        ctx.Saw((int)response.StatusCode);
        if ((int)response.StatusCode != 200) return (false, 0, 0);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (true, doc.RootElement.GetProperty("eventCount").GetInt32(), doc.RootElement.GetProperty("duplicateCount").GetInt32());
    }

    /// <summary>The 200 comes on the append; what a check reads is there once the processor has caught up.</summary>
    static async Task<string?> SettleAsync(Context ctx) =>
        await ctx.Api.SettledAsync(TimeSpan.FromSeconds(10)) ? null : "acknowledged deliveries still unprocessed after 10 s";

    static async Task<string?> StoredAsync(Context ctx, string account, int expected)
    {
        if (await SettleAsync(ctx) is { } late) return late;
        var rows = await ctx.Api.AllEventsAsync($"accountId={account}");
        return rows.Count == expected ? null : $"{rows.Count} events stored for its account, expected {expected}";
    }

    static async Task<string?> NothingStoredAsync(Context ctx, string account)
    {
        if (await SettleAsync(ctx) is { } late) return late;
        var rows = await ctx.Api.AllEventsAsync($"accountId={account}");
        return rows.Count == 0 ? null : $"{rows.Count} events stored although refused";
    }

    static string Short(string s, int max = 160) => s.Length <= max ? s : s[..max] + "…";
}
