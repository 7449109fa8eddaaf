using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using InstantChat.Core.Parsing;
using InstantChat.Core.Storage;
using InstantChat.Core.EventModel;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Web;

/// <summary>Processing through the real host: the worker, the retry endpoints and the test endpoint.</summary>
public sealed class ProcessingEndpointTests : IDisposable
{
    readonly AppFactory _app = new(new() { ["WEBHOOK_RETRY_DELAY"] = "50", ["WEBHOOK_POLL_INTERVAL_MS"] = "50" });
    public void Dispose() => _app.Dispose();

    static bool Settled(List<JsonElement> events) =>
        events.Count > 0 && events.All(e => e.GetProperty("processedStatus").GetString() is "completed" or "skipped" or "failed");

    static string Status(JsonElement e) => e.GetProperty("processedStatus").GetString()!;

    [Fact]
    public async Task Delivery_AllEightTypes_ProcessedIntoAThreadWithReactionSeenAndDelete()
    {
        const string acct = "17841400000000001", user = "900000001";
        JsonObject M(string key, JsonNode body, long ts, string from = user, string to = acct) => new()
        {
            ["sender"] = new JsonObject { ["id"] = from }, ["recipient"] = new JsonObject { ["id"] = to }, ["timestamp"] = ts, [key] = body,
        };
        JsonObject Change(string field, JsonObject value) => new() { ["field"] = field, ["value"] = value };
        // Deliberately out of order: the delete, the reaction and the read receipt come before their messages.
        var messaging = new JsonArray(
            M("message", new JsonObject { ["mid"] = "m2", ["is_deleted"] = true }, 1_764_000_009_000),
            M("reaction", new JsonObject { ["mid"] = "m1", ["action"] = "react", ["reaction"] = "love", ["emoji"] = "❤️" }, 1_764_000_008_000),
            M("read", new JsonObject { ["mid"] = "e1" }, 1_764_000_007_000),
            M("message", new JsonObject { ["mid"] = "m1", ["text"] = "hello" }, 1_764_000_001_000),
            M("message", new JsonObject { ["mid"] = "m2", ["text"] = "oops" }, 1_764_000_002_000),
            M("message", new JsonObject { ["mid"] = "e1", ["text"] = "hi there", ["is_echo"] = true }, 1_764_000_003_000, from: acct, to: user),
            M("postback", new JsonObject { ["mid"] = "p1", ["title"] = "Get started", ["payload"] = "START" }, 1_764_000_004_000),
            M("referral", new JsonObject { ["ref"] = "ad-7", ["source"] = "ADS", ["type"] = "OPEN_THREAD" }, 1_764_000_005_000));
        var changes = new JsonArray(
            Change("comments", new JsonObject { ["from"] = new JsonObject { ["id"] = "u2", ["username"] = "ann" }, ["media"] = new JsonObject { ["id"] = "media1", ["media_product_type"] = "FEED" }, ["id"] = "c1", ["text"] = "nice" }),
            Change("live_comments", new JsonObject { ["from"] = new JsonObject { ["id"] = "u3", ["username"] = "cy" }, ["media"] = new JsonObject { ["id"] = "live1", ["media_product_type"] = "LIVE" }, ["id"] = "lc1", ["text"] = "wow" }),
            Change("mentions", new JsonObject { ["media_id"] = "media9", ["comment_id"] = "c9" }),
            Change("story_insights", new JsonObject { ["media_id"] = "s1", ["impressions"] = 3 }));
        var body = Encoding.UTF8.GetBytes(new JsonObject
        {
            ["object"] = "instagram",
            ["entry"] = new JsonArray(new JsonObject { ["id"] = acct, ["time"] = 1_764_000_010, ["messaging"] = messaging, ["changes"] = changes }),
        }.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, (await _app.CreateClient().SendAsync(Signing.SignedPost(body))).StatusCode);

        var api = _app.ApiClient();
        var events = await Eventually.WaitAsync(() => api.EventsAsync(), Settled);
        Assert.Equal(12, events.Count);
        Assert.Equal(["skipped"], events.Where(e => e.GetProperty("eventType").GetString() == "story_insights").Select(Status));
        Assert.All(events.Where(e => e.GetProperty("eventType").GetString() != "story_insights"), e => Assert.Equal("completed", Status(e)));

        var thread = await api.GetJsonAsync($"/api/conversations/{acct}-{user}/messages");
        var byMid = thread.GetProperty("items").EnumerateArray().ToDictionary(m => m.GetProperty("mid").GetString()!);
        Assert.Equal(["m1", "m2", "e1", "p1"], byMid.Keys.Take(4));
        Assert.Equal("❤️", byMid["m1"].GetProperty("reactions")[0].GetProperty("emoji").GetString());
        Assert.True(byMid["m2"].GetProperty("isDeleted").GetBoolean());
        Assert.True(byMid["e1"].GetProperty("fromBusiness").GetBoolean());
        Assert.True(byMid["e1"].GetProperty("seen").GetBoolean());
        Assert.False(byMid["p1"].GetProperty("seen").GetBoolean());
        Assert.Equal("START", byMid["p1"].GetProperty("postback").GetProperty("payload").GetString());
        Assert.Contains(byMid.Values, m => m.GetProperty("referral").ValueKind == JsonValueKind.Object && m.GetProperty("referral").GetProperty("ref").GetString() == "ad-7");

        var conversations = (await api.GetJsonAsync("/api/conversations")).GetProperty("items");
        Assert.Equal($"{acct}-{user}", conversations[0].GetProperty("conversationId").GetString());
        var comments = (await api.GetJsonAsync($"/api/comments?accountId={acct}")).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("type").GetString()).Order();
        Assert.Equal(["comments", "live_comments", "mentions"], comments);
    }

    [Fact]
    public async Task TestEndpoint_Message_StoredQueuedAndProcessedLikeARealOne()
    {
        var api = _app.ApiClient();
        var response = await api.PostAsJsonAsync("/api/webhooks/instagram/test",
            new { eventType = "messages", accountId = "1784", senderId = "555", content = new { text = "test hello" }, userInfo = new { username = "bob" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var eventId = (await response.JsonAsync()).GetProperty("eventId").GetString();
        Assert.Equal($"/api/webhooks/events/{eventId}", response.Headers.Location?.ToString());
        var e = await Eventually.WaitAsync(() => api.GetJsonAsync($"/api/webhooks/events/{eventId}"), x => Status(x) == "completed");
        Assert.StartsWith("1784:messages:test_", e.GetProperty("deduplicationKey").GetString());
        var thread = await api.GetJsonAsync("/api/conversations/1784-555/messages");
        Assert.Equal("test hello", thread.GetProperty("items")[0].GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("{}", "eventType")]
    [InlineData("{\"eventType\":\"story_insights\",\"accountId\":\"1\",\"senderId\":\"2\"}", "eventType")]
    [InlineData("{\"eventType\":\"messages\",\"senderId\":\"2\"}", "accountId")]
    [InlineData("{\"eventType\":\"messages\",\"accountId\":\"1\"}", "senderId")]
    public async Task TestEndpoint_InvalidBody_Returns400NamingTheField(string json, string field)
    {
        var response = await _app.ApiClient().PostAsync("/api/webhooks/instagram/test", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Retry_FailedUnparseableEvent_ReparsesAndFailsAgainWithHistory()
    {
        await _app.CreateClient().SendAsync(Signing.SignedPost(Encoding.UTF8.GetBytes("{broken")));
        await _app.ProcessedAsync();
        var api = _app.ApiClient();
        var e = Assert.Single(await api.EventsAsync());
        var id = e.GetProperty("eventId").GetString();

        var response = await api.PostAsync($"/api/webhooks/events/{id}/retry", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var after = await Eventually.WaitAsync(() => api.GetJsonAsync($"/api/webhooks/events/{id}"),
            x => Status(x) == "failed" && x.GetProperty("attempts").GetInt32() == 3);
        Assert.Contains("invalid JSON", after.GetProperty("lastError").GetString());
        Assert.Equal(3, (await api.GetJsonAsync($"/api/webhooks/events/{id}/attempts")).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Retry_UnknownEventWhoseDeliveryNowParses_RecoversItsEvents()
    {
        // As if an older parser had failed a valid delivery: the kept bytes are good, the event is "unknown".
        var body = Deliveries.Envelope(Deliveries.Message("r1", "recovered"));
        var at = DateTimeOffset.UtcNow;
        var deliveryId = EventIds.New(at);
        var unknown = new WebhookEvent
        {
            EventId = EventIds.New(at), EventType = EventTypes.Unknown, Timestamp = at, ReceivedAt = at,
            DeduplicationKey = "unknown:h:legacy", DeliveryId = deliveryId,
            ProcessedStatus = ProcessingStatus.Failed, LastError = "unparseable: old parser",
        };
        await _app.Services.GetRequiredService<IIngestStore>().CommitAsync([new IngestBatch(new Delivery(deliveryId, at, "application/json", body), [unknown])], default);
        var api = _app.ApiClient();

        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/webhooks/events/{unknown.EventId}/retry", null)).StatusCode);

        var events = await Eventually.WaitAsync(() => api.EventsAsync(), list => list.Count == 2 && Settled(list));
        Assert.All(events, e => Assert.Equal("completed", Status(e)));
        Assert.Equal("recovered", events.Single(e => e.GetProperty("eventType").GetString() == "messages").GetProperty("content").GetProperty("text").GetString());
    }

    [Fact]
    public async Task Retry_UnknownEvent_Returns404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await _app.ApiClient().PostAsync("/api/webhooks/events/01KZZZZZZZZZZZZZZZZZZZZZZZ/retry", null)).StatusCode);

    [Fact]
    public async Task Retry_PendingEvent_Returns409()
    {
        // A message without a mid fails its first attempt and waits an hour for its retry: pending.
        using var app = new AppFactory(new() { ["WEBHOOK_RETRY_DELAY"] = "3600000" });
        var noMid = Deliveries.Message("m1", "x");
        noMid["message"]!.AsObject().Remove("mid");
        await app.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(noMid)));
        await app.ProcessedAsync();
        var pending = Assert.Single(await app.ApiClient().EventsAsync());
        Assert.Equal("pending", pending.GetProperty("processedStatus").GetString());
        var id = pending.GetProperty("eventId").GetString();

        var response = await app.ApiClient().PostAsync($"/api/webhooks/events/{id}/retry", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task BulkRetry_Filter_QueuesMatchingFailedEvents()
    {
        await _app.CreateClient().SendAsync(Signing.SignedPost(Encoding.UTF8.GetBytes("not json 1")));
        await _app.CreateClient().SendAsync(Signing.SignedPost(Encoding.UTF8.GetBytes("not json 2")));
        await _app.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message("m1", "x"))));
        var api = _app.ApiClient();
        await Eventually.WaitAsync(() => api.EventsAsync(), list => list.Count == 3 && Settled(list));

        var response = await api.PostAsJsonAsync("/api/webhooks/events/retry", new { status = "failed", eventType = "unknown", from = DateTimeOffset.UtcNow.AddHours(-1) });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (await response.JsonAsync()).GetProperty("queued").GetInt32());
    }

    [Theory]
    [InlineData("{\"status\":\"pending\"}", "status")]
    [InlineData("{\"eventType\":\"Bad Type\"}", "eventType")]
    [InlineData("{\"from\":\"2026-02-01T00:00:00Z\",\"to\":\"2026-01-01T00:00:00Z\"}", "to")]
    public async Task BulkRetry_InvalidFilter_Returns400NamingIt(string json, string field)
    {
        var response = await _app.ApiClient().PostAsync("/api/webhooks/events/retry", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Theory]
    [InlineData("/api/webhooks/events/retry", "{bad", "body")]
    [InlineData("/api/webhooks/events/retry", "{\"from\":\"garbage\"}", "from")]
    [InlineData("/api/webhooks/instagram/test", "[1]", "body")]
    [InlineData("/api/webhooks/instagram/test", "{\"eventType\":7}", "eventType")]
    public async Task Post_MalformedJson_Returns400NamingTheField(string url, string json, string field)
    {
        var response = await _app.ApiClient().PostAsync(url, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.JsonAsync();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task Post_WrongContentType_Returns415() =>
        Assert.Equal(HttpStatusCode.UnsupportedMediaType,
            (await _app.ApiClient().PostAsync("/api/webhooks/events/retry", new StringContent("x", Encoding.UTF8, "text/plain"))).StatusCode);

    [Theory]
    [InlineData("/api/conversations?limit=0", "limit")]
    [InlineData("/api/conversations?cursor=%%%", "cursor")]
    [InlineData("/api/comments?limit=9999", "limit")]
    public async Task Conversations_InvalidQuery_Returns400(string url, string field)
    {
        var response = await _app.ApiClient().GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Conversation_Unknown_Returns404() =>
        Assert.Equal(HttpStatusCode.NotFound, (await _app.ApiClient().GetAsync("/api/conversations/nope/messages")).StatusCode);
}
