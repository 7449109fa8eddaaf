using System.Net;
using System.Text;
using InstantChat.Core.Storage;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Web;

public sealed class WebhookEndpointTests : IDisposable
{
    readonly AppFactory _app = new();
    public void Dispose() => _app.Dispose();

    static byte[] OneMessage(string mid = "m1") => Deliveries.Envelope(Deliveries.Message(mid, "hello"));

    [Fact]
    public async Task Verify_MatchingToken_EchoesChallengeAsText()
    {
        var response = await _app.CreateClient().GetAsync($"/api/webhooks/instagram?hub.mode=subscribe&hub.verify_token={AppFactory.VerifyToken}&hub.challenge=1158201444");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("1158201444", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")]
    [InlineData("hub.mode=subscribe&hub.challenge=1")]
    [InlineData("hub.mode=unsubscribe&hub.verify_token=test-verify-token&hub.challenge=1")]
    [InlineData("hub.mode=subscribe&hub.verify_token=test-verify-token")]
    [InlineData("hub.mode=subscribe&hub.verify_token=TEST-VERIFY-TOKEN&hub.challenge=1")]
    public async Task Verify_AnythingElse_Returns403(string query) =>
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.CreateClient().GetAsync($"/api/webhooks/instagram?{query}")).StatusCode);

    [Fact]
    public async Task Verify_NoTokenConfigured_Returns403()
    {
        using var app = new AppFactory(new() { ["META_VERIFY_TOKEN"] = "" });
        var response = await app.CreateClient().GetAsync("/api/webhooks/instagram?hub.mode=subscribe&hub.verify_token=&hub.challenge=1");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Post_ValidSignature_AnswersJsonWithItsLengthAsOpenApiSays()
    {
        var response = await _app.CreateClient().SendAsync(Signing.SignedPost(OneMessage()));
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Equal(body.Length, response.Content.Headers.ContentLength);
        Assert.Matches("^\\{\"deliveryId\":\"[0-9A-Za-z]+\"\\}$", System.Text.Encoding.UTF8.GetString(body));
        var doc = await _app.CreateClient().GetJsonAsync("/openapi/v1.json");
        var ok = doc.GetProperty("paths").GetProperty("/api/webhooks/instagram").GetProperty("post").GetProperty("responses").GetProperty("200");
        Assert.Contains("DeliveryAccepted", ok.GetProperty("content").GetProperty("application/json").GetRawText());
    }

    [Fact]
    public async Task Post_ValidSignature_Returns200AndItsEventsFollow()
    {
        var response = await _app.CreateClient().SendAsync(Signing.SignedPost(OneMessage()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var accepted = await response.JsonAsync();
        Assert.NotEmpty(accepted.GetProperty("deliveryId").GetString()!);
        await _app.ProcessedAsync();
        var e = Assert.Single(await _app.ApiClient().EventsAsync());
        Assert.Equal(("messages", "hello", "completed"), (e.GetProperty("eventType").GetString(), e.GetProperty("content").GetProperty("text").GetString(), e.GetProperty("processedStatus").GetString()));
        Assert.Equal(accepted.GetProperty("deliveryId").GetString(), e.GetProperty("deliveryId").GetString());
    }

    [Fact]
    public async Task Post_SignedWithMetaAppSecret_Returns200()
    {
        var response = await _app.CreateClient().SendAsync(Signing.SignedPost(OneMessage(), Signing.OtherSecret));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Post_SameDeliveryTwice_StoresOnceAndRecordsTheDuplicate()
    {
        var client = _app.CreateClient();
        await client.SendAsync(Signing.SignedPost(OneMessage()));
        var again = await (await client.SendAsync(Signing.SignedPost(OneMessage()))).JsonAsync();
        await _app.ProcessedAsync();

        Assert.Single(await _app.ApiClient().EventsAsync());
        var replay = await _app.ApiClient().GetJsonAsync($"/api/webhooks/deliveries/{again.GetProperty("deliveryId").GetString()}");
        Assert.Equal(1, replay.GetProperty("duplicateCount").GetInt32());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("sha1=0123456789012345678901234567890123456789")]
    [InlineData("sha256=00")]
    [InlineData("sha256=0000000000000000000000000000000000000000000000000000000000000000")]
    public async Task Post_BadSignature_Returns401AndStoresNothing(string? header)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/instagram") { Content = new ByteArrayContent(OneMessage()) };
        if (header is not null) request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", header);

        var response = await _app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        await _app.ProcessedAsync();
        Assert.Empty(await _app.ApiClient().EventsAsync());
    }

    [Fact]
    public async Task Post_NoSecretConfigured_Returns401ForSignedDeliveries()
    {
        using var app = new AppFactory(new() { ["INSTAGRAM_APP_SECRET"] = "", ["META_APP_SECRET"] = "" });
        var response = await app.CreateClient().SendAsync(Signing.SignedPost(OneMessage()));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await app.ProcessedAsync();
        Assert.Empty(await app.ApiClient().EventsAsync());
    }

    [Fact]
    public async Task Post_NoSecretButUnsignedAllowed_Returns200()
    {
        using var app = new AppFactory(new() { ["INSTAGRAM_APP_SECRET"] = "", ["META_APP_SECRET"] = "", ["WEBHOOK_ALLOW_UNSIGNED"] = "true" });
        var response = await app.CreateClient().PostAsync("/api/webhooks/instagram", new ByteArrayContent(OneMessage()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.ProcessedAsync();
        Assert.Single(await app.ApiClient().EventsAsync());
    }

    [Fact]
    public async Task Post_BodyOverLimitByContentLength_Returns413AndStoresNothing()
    {
        var body = new byte[16 * 1024 * 1024 + 1];
        var response = await _app.CreateClient().SendAsync(Signing.SignedPost(body));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await _app.ProcessedAsync();
        Assert.Empty(await _app.ApiClient().EventsAsync());
    }

    [Fact]
    public async Task Post_ChunkedBodyOverLimit_Returns413AndStoresNothing()
    {
        var body = new byte[16 * 1024 * 1024 + 10];
        var request = Signing.SignedPost(body);
        request.Content = new StreamContent(new MemoryStream(body)); // no Content-Length: read until the limit
        request.Headers.TransferEncodingChunked = true;

        var response = await _app.CreateClient().SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await _app.ProcessedAsync();
        Assert.Empty(await _app.ApiClient().EventsAsync());
    }

    [Fact]
    public async Task Post_TenMebibyteBatch_Returns200WithEveryUpdate()
    {
        var padding = new string('x', 10_450);
        var messages = Enumerable.Range(0, 1000).Select(i => Deliveries.Message($"big{i}", $"{i} {padding}")).ToArray();
        var body = Deliveries.Envelope(messages);
        Assert.True(body.Length >= 10 * 1024 * 1024, $"body is {body.Length} bytes");

        var response = await _app.CreateClient().SendAsync(Signing.SignedPost(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _app.ProcessedAsync();
        Assert.Equal(1000, (await _app.ApiClient().AllEventsAsync()).Count);
    }

    [Theory]
    [InlineData("", "empty body")]
    [InlineData("{\"object\":\"instagram\",\"entry\":[", "invalid JSON")]
    [InlineData("[1,2,3]", "not a JSON object")]
    [InlineData("{\"object\":\"instagram\"}", "no \"entry\" array")]
    public async Task Post_SignedButUnparseable_Returns200AndKeepsFailedEvent(string text, string why)
    {
        var body = Encoding.UTF8.GetBytes(text);
        var response = await _app.CreateClient().SendAsync(Signing.SignedPost(body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _app.ProcessedAsync();
        var e = Assert.Single(await _app.ApiClient().EventsAsync());
        Assert.Equal(("unknown", "failed"), (e.GetProperty("eventType").GetString(), e.GetProperty("processedStatus").GetString()));
        Assert.Contains(why, e.GetProperty("lastError").GetString());
        var raw = await _app.ApiClient().GetByteArrayAsync($"/api/webhooks/deliveries/{e.GetProperty("deliveryId").GetString()}/body");
        Assert.Equal(body, raw);
    }

    [Fact]
    public async Task Post_WrongContentType_StillParsesSignedJson()
    {
        var response = await _app.CreateClient().SendAsync(Signing.SignedPost(OneMessage(), contentType: "text/plain"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _app.ProcessedAsync();
        var e = Assert.Single(await _app.ApiClient().EventsAsync());
        Assert.Equal("messages", e.GetProperty("eventType").GetString());
        var delivery = await _app.ApiClient().GetJsonAsync($"/api/webhooks/deliveries/{e.GetProperty("deliveryId").GetString()}");
        Assert.Equal("text/plain", delivery.GetProperty("contentType").GetString());
    }

    [Fact]
    public async Task Post_StoreFails_Returns503AndNoAcknowledgement()
    {
        using var app = new AppFactory
        {
            ConfigureTestServices = s => s.AddSingleton<IDeliveryLog>(new UnavailableLog()),
        };
        var response = await app.CreateClient().SendAsync(Signing.SignedPost(OneMessage()));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    /// <summary>Failure injection: the log's append throws as a full disk or a lost server would.</summary>
    sealed class UnavailableLog : IDeliveryLog
    {
        public Task<IReadOnlyList<long>> AppendAsync(IReadOnlyList<LogAppend> deliveries, CancellationToken cancellationToken) =>
            throw new StoreUnavailableException("disk full");
    }
}
