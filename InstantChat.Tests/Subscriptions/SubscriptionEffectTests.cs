using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Subscriptions;

/// <summary>Subscriptions take effect: their tokens verify, their secrets sign their accounts' deliveries, their settings steer processing.</summary>
public sealed class SubscriptionEffectTests : IDisposable
{
    const string AccountA = "1001", AccountB = "1002";
    // No app secret in the environment: only subscription secrets can sign.
    readonly AppFactory _app = new(new()
    {
        ["INSTAGRAM_APP_SECRET"] = "", ["META_APP_SECRET"] = "", ["META_VERIFY_TOKEN"] = "",
        ["WEBHOOK_RETRY_DELAY"] = "20", ["WEBHOOK_POLL_INTERVAL_MS"] = "50",
    });

    public void Dispose() => _app.Dispose();

    async Task SubscribeAsync(string account, string secret, object? processing = null, string[]? fields = null)
    {
        var response = await _app.ApiClient().PostAsJsonAsync("/api/webhooks/subscriptions", new
        {
            instagramAccountId = account,
            subscribedFields = fields,
            webhookConfig = new { verifyToken = $"token-{account}", secret },
            processingConfig = processing,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    Task<HttpResponseMessage> PostAsync(byte[] body, string secret) => _app.CreateClient().SendAsync(Signing.SignedPost(body, secret));

    [Fact]
    public async Task Verify_SubscriptionsToken_IsAccepted()
    {
        await SubscribeAsync(AccountA, "secret-a");
        var client = _app.CreateClient();

        Assert.Equal("7", await client.GetStringAsync($"/api/webhooks/instagram?hub.mode=subscribe&hub.verify_token=token-{AccountA}&hub.challenge=7"));
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/webhooks/instagram?hub.mode=subscribe&hub.verify_token=token-x&hub.challenge=7")).StatusCode);
    }

    [Fact]
    public async Task Post_SignedWithItsAccountsSecret_IsAccepted()
    {
        await SubscribeAsync(AccountA, "secret-a");
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Deliveries.Envelope(AccountA, Deliveries.Message("m1", "x")), "secret-a")).StatusCode);
    }

    [Fact]
    public async Task Post_SignedWithAnotherAccountsSecret_IsRefused()
    {
        await SubscribeAsync(AccountA, "secret-a");
        await SubscribeAsync(AccountB, "secret-b");

        var response = await PostAsync(Deliveries.Envelope(AccountB, Deliveries.Message("m1", "x")), "secret-a");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await _app.ApiClient().EventsAsync());
    }

    [Fact]
    public async Task Post_EntriesOfTwoAccountsSignedWithOnesSecret_IsRefused()
    {
        await SubscribeAsync(AccountA, "secret-a");
        await SubscribeAsync(AccountB, "secret-b");
        var body = JsonNode.Parse(Deliveries.Envelope(AccountA, Deliveries.Message("m1", "x")))!;
        body["entry"]!.AsArray().Add(JsonNode.Parse(Deliveries.Envelope(AccountB, Deliveries.Message("m2", "y")))!["entry"]![0]!.DeepClone());

        var response = await PostAsync(System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()), "secret-a");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Post_NoSubscriptionAndNoEnvSecret_FailsClosed() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Deliveries.Envelope(AccountA, Deliveries.Message("m1", "x")), "secret-a")).StatusCode);

    [Fact]
    public async Task Process_FieldNotSubscribed_IsKeptAndSkipped()
    {
        await SubscribeAsync(AccountA, "secret-a", fields: ["comments"]);

        await PostAsync(Deliveries.Envelope(AccountA, Deliveries.Message("m1", "x")), "secret-a");

        var e = await Eventually.WaitAsync(() => _app.ApiClient().EventsAsync(), l => l.Count == 1 && l[0].GetProperty("processedStatus").GetString() is "skipped" or "completed" or "failed");
        Assert.Equal("skipped", e[0].GetProperty("processedStatus").GetString());
        Assert.Contains("subscribedFields", e[0].GetProperty("lastError").GetString());
    }

    [Fact]
    public async Task Process_RetryAttemptsOverride_FailsAfterTheSubscriptionsCount()
    {
        await SubscribeAsync(AccountA, "secret-a", processing: new { retryAttempts = 1 });
        var broken = Deliveries.Message("m1", "x");
        broken["message"]!.AsObject().Remove("mid"); // the handler needs a mid: every attempt fails

        await PostAsync(Deliveries.Envelope(AccountA, broken), "secret-a");

        var e = await Eventually.WaitAsync(() => _app.ApiClient().EventsAsync(), l => l.Count == 1 && l[0].GetProperty("processedStatus").GetString() == "failed");
        Assert.Equal(1, e[0].GetProperty("attempts").GetInt32());
    }
}
