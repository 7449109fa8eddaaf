using System.Net;
using System.Net.Http.Json;
using System.Text;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Web;

public sealed class SubscriptionEndpointTests : IDisposable
{
    readonly AppFactory _app = new();
    public void Dispose() => _app.Dispose();

    static object Body(string account = "17841400000000009", string? secret = "sub-secret", string? token = "sub-token", object? processing = null, string[]? fields = null) => new
    {
        instagramAccountId = account,
        userId = "u-1",
        subscribedFields = fields ?? ["messages", "comments"],
        webhookConfig = new { url = "https://example.com/hook", verifyToken = token, secret },
        processingConfig = processing ?? new { enableQueue = true, batchSize = 20, retryAttempts = 2 },
    };

    async Task<string> CreateAsync(object body)
    {
        var response = await _app.ApiClient().PostAsJsonAsync("/api/webhooks/subscriptions", body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("subscriptionId").GetString()!;
    }

    [Fact]
    public async Task Create_ValidBody_Returns201AndNeverEchoesSecrets()
    {
        var response = await _app.ApiClient().PostAsJsonAsync("/api/webhooks/subscriptions", Body());
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.DoesNotContain("sub-secret", text);
        Assert.DoesNotContain("sub-token", text);
        var created = await response.JsonAsync();
        Assert.True(created.GetProperty("webhookConfig").GetProperty("hasSecret").GetBoolean());
        Assert.Equal(2, created.GetProperty("processingConfig").GetProperty("retryAttempts").GetInt32());
        var list = await _app.ApiClient().GetStringAsync("/api/webhooks/subscriptions");
        var one = await _app.ApiClient().GetStringAsync(response.Headers.Location!.ToString());
        Assert.DoesNotContain("sub-secret", list + one);
        Assert.DoesNotContain("sub-token", list + one);
    }

    [Theory]
    [InlineData("{\"instagramAccountId\":\"abc\"}", "instagramAccountId")]
    [InlineData("{}", "instagramAccountId")]
    [InlineData("{\"instagramAccountId\":\"1\",\"subscribedFields\":[\"messages\",\"likes\"]}", "subscribedFields")]
    [InlineData("{\"instagramAccountId\":\"1\",\"subscribedFields\":[\"messages\",\"messages\"]}", "subscribedFields")]
    [InlineData("{\"instagramAccountId\":\"1\",\"webhookConfig\":{\"url\":\"http://example.com/x\"}}", "webhookConfig.url")]
    [InlineData("{\"instagramAccountId\":\"1\",\"webhookConfig\":{\"url\":\"not a url\"}}", "webhookConfig.url")]
    [InlineData("{\"instagramAccountId\":\"1\",\"processingConfig\":{\"batchSize\":0}}", "processingConfig.batchSize")]
    [InlineData("{\"instagramAccountId\":\"1\",\"processingConfig\":{\"retryAttempts\":51}}", "processingConfig.retryAttempts")]
    public async Task Create_InvalidField_Returns400NamingIt(string json, string field)
    {
        var response = await _app.ApiClient().PostAsync("/api/webhooks/subscriptions", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Create_LocalhostHttpUrl_IsAllowed() =>
        Assert.Equal(HttpStatusCode.Created, (await _app.ApiClient().PostAsync("/api/webhooks/subscriptions",
            new StringContent("{\"instagramAccountId\":\"1\",\"webhookConfig\":{\"url\":\"http://localhost:5000/api/webhooks/instagram\"}}", Encoding.UTF8, "application/json"))).StatusCode);

    [Fact]
    public async Task Create_SecondForSameAccount_Returns409()
    {
        await CreateAsync(Body());
        var response = await _app.ApiClient().PostAsJsonAsync("/api/webhooks/subscriptions", Body());
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Update_ToAnotherSubscriptionsAccount_Returns409()
    {
        await CreateAsync(Body(account: "111"));
        var id = await CreateAsync(Body(account: "222"));
        var response = await _app.ApiClient().PutAsJsonAsync($"/api/webhooks/subscriptions/{id}", Body(account: "111"));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
    }

    [Fact]
    public async Task Update_OmittingSecrets_KeepsTheStoredOnes()
    {
        var id = await CreateAsync(Body());
        var response = await _app.ApiClient().PutAsJsonAsync($"/api/webhooks/subscriptions/{id}", Body(secret: null, token: null, fields: ["mentions"]));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var updated = await response.JsonAsync();
        Assert.True(updated.GetProperty("webhookConfig").GetProperty("hasSecret").GetBoolean());
        Assert.True(updated.GetProperty("webhookConfig").GetProperty("hasVerifyToken").GetBoolean());
        Assert.Equal("mentions", updated.GetProperty("subscribedFields")[0].GetString());
        // The kept token still verifies.
        var verify = await _app.CreateClient().GetAsync("/api/webhooks/instagram?hub.mode=subscribe&hub.verify_token=sub-token&hub.challenge=42");
        Assert.Equal("42", await verify.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task GetUpdateDelete_UnknownId_Return404()
    {
        var api = _app.ApiClient();
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync("/api/webhooks/subscriptions/nope")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PutAsJsonAsync("/api/webhooks/subscriptions/nope", Body())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync("/api/webhooks/subscriptions/nope")).StatusCode);
    }

    [Fact]
    public async Task Delete_Existing_Returns204AndItIsGone()
    {
        var id = await CreateAsync(Body());
        Assert.Equal(HttpStatusCode.NoContent, (await _app.ApiClient().DeleteAsync($"/api/webhooks/subscriptions/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.ApiClient().GetAsync($"/api/webhooks/subscriptions/{id}")).StatusCode);
    }
}
