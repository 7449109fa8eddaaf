using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using StandardWebhooks;

namespace InstantChat.Tests.Outbound;

/// <summary>Events reaching a real receiver (Kestrel on 127.0.0.1) through the real host: signed, filtered, retried, in order.</summary>
public sealed class ForwardingTests : ReceiverHost
{
    async Task<(string Id, string Secret)> CreateAsync(object? filter = null, string ordering = "none", string payload = "event", int? maxConcurrency = null)
    {
        var response = await _app.ApiClient().PostAsJsonAsync("/api/destinations", new
        {
            name = "bot", url = _receiver.Url, filter, ordering, payload, maxConcurrency,
            headers = new Dictionary<string, string> { ["authorization"] = "Bearer bot-token" },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        return (created.GetProperty("destinationId").GetString()!, created.GetProperty("secret").GetString()!);
    }

    async Task SendAsync(byte[] body) =>
        Assert.Equal(HttpStatusCode.OK, (await _app.CreateClient().SendAsync(Signing.SignedPost(body))).StatusCode);

    Task<List<Received>> ReceivedAsync(int count, TimeSpan? timeout = null) =>
        Eventually.WaitAsync(() => Task.FromResult(_receiver.Requests.ToList()), r => r.Count >= count, timeout);

    async Task<JsonElement> MessagesAsync(string destinationId, string query = "") =>
        (await _app.ApiClient().GetJsonAsync($"/api/destinations/{destinationId}/messages?{query}")).GetProperty("items");

    [Fact]
    public async Task Forward_MatchingEvent_ArrivesSignedAsTheApiServesIt()
    {
        var (id, secret) = await CreateAsync(filter: new { eventTypes = new[] { "messages" } });

        await SendAsync(Deliveries.Envelope(Deliveries.Message("m-1", "hello there")));
        await SendAsync(Deliveries.Comment("c-1", "900000009", "ann"));   // filtered out
        var request = Assert.Single(await ReceivedAsync(1));
        await _app.ProcessedAsync();
        await Task.Delay(300);

        Assert.Single(_receiver.Requests);
        var headers = new Microsoft.AspNetCore.Http.HeaderDictionary();
        foreach (var (k, v) in request.Headers) headers[k] = v;
        new StandardWebhook(secret).Verify(request.Body, headers); // throws when the signature is wrong
        Assert.StartsWith("msg_", request.Headers["webhook-id"]);
        Assert.Equal("Bearer bot-token", request.Headers["authorization"]);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(("messages", "hello there"), (body.RootElement.GetProperty("eventType").GetString(), body.RootElement.GetProperty("content").GetProperty("text").GetString()));
        var message = Assert.Single((await Eventually.WaitAsync(() => MessagesAsync(id), m => m.GetArrayLength() == 1 && m[0].GetProperty("status").GetString() == "delivered")).EnumerateArray());
        Assert.Equal(request.Headers["webhook-id"], message.GetProperty("messageId").GetString());
        Assert.Equal(200, message.GetProperty("attempts")[0].GetProperty("statusCode").GetInt32());
        Assert.Equal("answer 0", message.GetProperty("attempts")[0].GetProperty("responseBody").GetString());
        var eventId = body.RootElement.GetProperty("eventId").GetString();
        var deliveries = (await _app.ApiClient().GetJsonAsync($"/api/webhooks/events/{eventId}/deliveries")).GetProperty("items");
        Assert.Equal((id, "delivered"), (deliveries[0].GetProperty("destinationId").GetString(), deliveries[0].GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Forward_MetaPayload_SendsTheUpdateAsReceived()
    {
        await CreateAsync(payload: "meta");

        await SendAsync(Deliveries.Envelope(Deliveries.Message("m-meta", "as meta sent it")));

        using var body = JsonDocument.Parse(Assert.Single(await ReceivedAsync(1)).Body);
        Assert.Equal("m-meta", body.RootElement.GetProperty("message").GetProperty("mid").GetString());
    }

    [Fact]
    public async Task Forward_ReceiverFails_AttemptKeptAndRetriedLaterWithTheSameId()
    {
        _receiver.Answer = (n, _) => Task.FromResult<(int, Dictionary<string, string>?)>((n == 0 ? 500 : 200, null));
        var (id, _) = await CreateAsync();

        await SendAsync(Deliveries.Envelope(Deliveries.Message("m-1", "retry me")));
        await ReceivedAsync(1);

        var pending = (await Eventually.WaitAsync(() => MessagesAsync(id), m => m.GetArrayLength() == 1 && m[0].GetProperty("attempts").GetArrayLength() == 1))[0];
        Assert.Equal("pending", pending.GetProperty("status").GetString());
        Assert.Equal(500, pending.GetProperty("attempts")[0].GetProperty("statusCode").GetInt32());
        var wait = pending.GetProperty("nextAttemptAt").GetDateTimeOffset() - pending.GetProperty("attempts")[0].GetProperty("at").GetDateTimeOffset();
        Assert.InRange(wait.TotalSeconds, 3.9, 6.1); // 5 s ± 20 %
        var both = await ReceivedAsync(2, TimeSpan.FromSeconds(20));
        Assert.Equal(both[0].Headers["webhook-id"], both[1].Headers["webhook-id"]);
        await Eventually.WaitAsync(() => MessagesAsync(id), m => m[0].GetProperty("status").GetString() == "delivered");
    }

    [Fact]
    public async Task Forward_Gone_DisablesTheDestination()
    {
        _receiver.Answer = (_, _) => Task.FromResult<(int, Dictionary<string, string>?)>((410, null));
        var (id, _) = await CreateAsync();

        await SendAsync(Deliveries.Envelope(Deliveries.Message("m-1", "anyone there?")));

        var destination = await Eventually.WaitAsync(() => _app.ApiClient().GetJsonAsync($"/api/destinations/{id}"), d => !d.GetProperty("enabled").GetBoolean());
        Assert.StartsWith("410 Gone", destination.GetProperty("disabledReason").GetString());
        Assert.Equal("failed", (await MessagesAsync(id))[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task Forward_ConversationOrdering_OneAtATimeInTheOrderReceived()
    {
        var inFlight = 0;
        var overlapped = false;
        _receiver.Answer = async (_, _) =>
        {
            if (Interlocked.Increment(ref inFlight) > 1) overlapped = true;
            await Task.Delay(150);
            Interlocked.Decrement(ref inFlight);
            return (200, null);
        };
        await CreateAsync(ordering: "conversation", maxConcurrency: 8);

        for (var i = 0; i < 4; i++) await SendAsync(Deliveries.Envelope(Deliveries.Message($"m-{i}", $"part {i}", sender: "900000042")));

        var received = await ReceivedAsync(4);
        Assert.False(overlapped, "two messages of one conversation were in flight at once");
        Assert.Equal(["m-0", "m-1", "m-2", "m-3"], received.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("payload").GetProperty("message").GetProperty("mid").GetString()));
    }

    [Fact]
    public async Task RetryAndReplay_FinishedMessage_SentAgainUnderItsId()
    {
        var (id, _) = await CreateAsync();
        var since = DateTimeOffset.UtcNow.AddMinutes(-1);
        await SendAsync(Deliveries.Envelope(Deliveries.Message("m-1", "again")));
        var first = Assert.Single(await ReceivedAsync(1));
        var messageId = (await Eventually.WaitAsync(() => MessagesAsync(id), m => m.GetArrayLength() == 1 && m[0].GetProperty("status").GetString() == "delivered"))[0].GetProperty("messageId").GetString();

        var retry = await _app.ApiClient().PostAsync($"/api/destinations/{id}/messages/{messageId}/retry", null);
        var replay = await _app.ApiClient().PostAsJsonAsync($"/api/destinations/{id}/replay", new { since });

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, replay.StatusCode);
        Assert.Equal(1, (await replay.JsonAsync()).GetProperty("count").GetInt32());
        var all = await ReceivedAsync(2);
        Assert.All(all, r => Assert.Equal(first.Headers["webhook-id"], r.Headers["webhook-id"]));
    }

    [Fact]
    public async Task Forward_AfterRotation_BothSecretsVerify()
    {
        var (id, old) = await CreateAsync();
        var rotated = (await (await _app.ApiClient().PostAsync($"/api/destinations/{id}/rotate-secret", null)).JsonAsync()).GetProperty("secret").GetString()!;

        await SendAsync(Deliveries.Envelope(Deliveries.Message("m-rot", "signed twice")));

        var request = Assert.Single(await ReceivedAsync(1));
        // Each checked on its own: StandardWebhooks 1.1.2's Verify looks at the first signature of a list only.
        var signatures = request.Headers["webhook-signature"].Split(' ');
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(long.Parse(request.Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal([new StandardWebhook(rotated).Sign(request.Headers["webhook-id"], timestamp, request.Body), new StandardWebhook(old).Sign(request.Headers["webhook-id"], timestamp, request.Body)], signatures);
    }

    [Fact]
    public async Task Forward_ReceiverRecovers_WaitingMessagesGoAtOnceNotAfterTheirBackoff()
    {
        var failing = true;
        _receiver.Answer = (_, _) => Task.FromResult<(int, Dictionary<string, string>?)>((Volatile.Read(ref failing) ? 503 : 200, null));
        await CreateAsync();
        await SendAsync(Deliveries.Envelope(Deliveries.Message("m-early", "while it was down")));
        var failed = Assert.Single(await ReceivedAsync(1));

        Volatile.Write(ref failing, false);
        await SendAsync(Deliveries.Envelope(Deliveries.Message("m-later", "once it is back")));

        var all = await ReceivedAsync(3);
        var retried = all.Skip(1).Single(r => r.Headers["webhook-id"] == failed.Headers["webhook-id"]);
        // The schedule alone would wait at least 4 s (5 s less its jitter) after the failed attempt.
        Assert.True(retried.At - failed.At < TimeSpan.FromSeconds(3.5), $"sent again {(retried.At - failed.At).TotalSeconds:0.0} s after failing");
    }

    [Fact]
    public async Task Forward_StoreWriterBusy_SendingGoesOnWhileOutcomesWait()
    {
        // Each answer takes 10 ms: with one request at a time, 120 messages take over a second to send.
        _receiver.Answer = async (_, _) => { await Task.Delay(10); return (200, (Dictionary<string, string>?)null); };
        await CreateAsync(maxConcurrency: 1); // at most 16 messages held ahead
        for (var i = 0; i < 120; i++) await SendAsync(Deliveries.Envelope(Deliveries.Message($"m-busy-{i}", "hi")));
        await _app.ProcessedAsync();

        // The store's one writer held (a long commit elsewhere): no outcome can be recorded meanwhile.
        var release = new TaskCompletionSource();
        var holding = _app.Services.GetRequiredService<InstantChat.Core.Storage.Sqlite.SqliteWriter>().ExecuteAsync(_ => { release.Task.Wait(); return 0; });
        try
        {
            Assert.Equal(120, (await ReceivedAsync(120, TimeSpan.FromSeconds(15))).Select(r => r.Headers["webhook-id"]).Distinct().Count());
        }
        finally
        {
            release.SetResult();
            await holding;
        }
    }

    [Fact]
    public async Task Forward_ConversationBacklog_NextGoesOnceTheOneBeforeIsDeliveredNotRecorded()
    {
        var inFlight = 0;
        var overlapped = false;
        _receiver.Answer = async (n, _) =>
        {
            if (Interlocked.Increment(ref inFlight) > 1) overlapped = true;
            await Task.Delay(5);
            Interlocked.Decrement(ref inFlight);
            return (n == 0 ? 503 : 200, (Dictionary<string, string>?)null);
        };
        // The conversation's first message fails once (its retry waits ~5 s): the other 29 wait behind it.
        var (id, _) = await CreateAsync(ordering: "conversation", maxConcurrency: 8);
        for (var i = 0; i < 30; i++) await SendAsync(Deliveries.Envelope(Deliveries.Message($"m-{i:00}", $"part {i}", sender: "900000043")));
        await _app.ProcessedAsync();
        await Eventually.WaitAsync(() => MessagesAsync(id, "status=pending"), m => m.EnumerateArray().Any(x => x.GetProperty("attempts").GetArrayLength() == 1));

        // The store's one writer held from now on (no outcome recorded): once the first is delivered,
        // the rest of the conversation still goes, whole, in order, one at a time.
        var release = new TaskCompletionSource();
        var holding = _app.Services.GetRequiredService<InstantChat.Core.Storage.Sqlite.SqliteWriter>().ExecuteAsync(_ => { release.Task.Wait(); return 0; });
        try
        {
            var received = await ReceivedAsync(31, TimeSpan.FromSeconds(20));
            Assert.False(overlapped, "two messages of one conversation were in flight at once");
            Assert.Equal(Enumerable.Range(0, 30).Select(i => $"m-{i:00}"), received.Skip(1).Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("payload").GetProperty("message").GetProperty("mid").GetString()));
        }
        finally
        {
            release.SetResult();
            await holding;
        }
    }
}
