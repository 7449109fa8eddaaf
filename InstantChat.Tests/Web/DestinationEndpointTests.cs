using System.Net;
using System.Net.Http.Json;
using System.Text;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Web;

public sealed class DestinationEndpointTests : IDisposable
{
    readonly AppFactory _app = new();
    public void Dispose() => _app.Dispose();

    static object Body(string url = "https://crm.example.com/hooks/ig", string name = "crm") => new
    {
        name, url, enabled = true,
        filter = new { eventTypes = new[] { "messages", "comments" }, accountIds = new[] { "17841400000000001" }, textContains = "order" },
        payload = "event", headers = new Dictionary<string, string> { ["authorization"] = "Bearer crm-secret-token" },
        timeoutSeconds = 5, maxPerSecond = 50, maxConcurrency = 4, ordering = "conversation",
    };

    [Fact]
    public async Task Create_ValidBody_Returns201WithTheSecretOnceAndNeverAgain()
    {
        var response = await _app.ApiClient().PostAsJsonAsync("/api/destinations", Body());
        var created = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var secret = created.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.Equal(("conversation", 5, "order"), (created.GetProperty("ordering").GetString(), created.GetProperty("timeoutSeconds").GetInt32(),
            created.GetProperty("filter").GetProperty("textContains").GetString()));
        var one = await _app.ApiClient().GetStringAsync(response.Headers.Location!.ToString());
        var list = await _app.ApiClient().GetStringAsync("/api/destinations");
        Assert.DoesNotContain(secret, one + list);
        Assert.DoesNotContain("\"secret\"", one + list);
    }

    [Fact]
    public async Task RotateSecret_Existing_NewSecretOnceAndTheOldOneSigningFor24Hours()
    {
        var created = await (await _app.ApiClient().PostAsJsonAsync("/api/destinations", Body())).JsonAsync();
        var id = created.GetProperty("destinationId").GetString();

        var rotated = await (await _app.ApiClient().PostAsync($"/api/destinations/{id}/rotate-secret", null)).JsonAsync();

        Assert.NotEqual(created.GetProperty("secret").GetString(), rotated.GetProperty("secret").GetString());
        var until = rotated.GetProperty("previousSecretUntil").GetDateTimeOffset();
        Assert.InRange(until - DateTimeOffset.UtcNow, TimeSpan.FromHours(23.9), TimeSpan.FromHours(24));
    }

    [Fact]
    public async Task Update_Existing_ReplacesTheSettingsAndKeepsTheSecret()
    {
        var created = await (await _app.ApiClient().PostAsJsonAsync("/api/destinations", Body())).JsonAsync();
        var id = created.GetProperty("destinationId").GetString();

        var response = await _app.ApiClient().PutAsJsonAsync($"/api/destinations/{id}", new { name = "renamed", url = "https://bot.example.com/in", enabled = false });
        var updated = await response.JsonAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(("renamed", false, "none", 10), (updated.GetProperty("name").GetString(), updated.GetProperty("enabled").GetBoolean(),
            updated.GetProperty("ordering").GetString(), updated.GetProperty("timeoutSeconds").GetInt32()));
        Assert.False(updated.TryGetProperty("secret", out _));
    }

    [Theory]
    [InlineData("{}", "name")]
    [InlineData("{\"name\":\"x\"}", "url")]
    [InlineData("{\"name\":\"x\",\"url\":\"ftp://example.com/h\"}", "url")]
    [InlineData("{\"name\":\"x\",\"url\":\"https://user:pw@example.com/h\"}", "url")]
    [InlineData("{\"name\":\"x\",\"url\":\"http://127.0.0.1:9000/h\"}", "url")]
    [InlineData("{\"name\":\"x\",\"url\":\"http://169.254.169.254/latest/meta-data\"}", "url")]
    [InlineData("{\"name\":\"x\",\"url\":\"http://[::1]/h\"}", "url")]
    [InlineData("{\"name\":\"x\",\"url\":\"http://10.1.2.3/h\"}", "url")]
    [InlineData("{\"name\":\"x\",\"url\":\"https://example.com/h\",\"payload\":\"xml\"}", "payload")]
    [InlineData("{\"name\":\"x\",\"url\":\"https://example.com/h\",\"ordering\":\"global\"}", "ordering")]
    [InlineData("{\"name\":\"x\",\"url\":\"https://example.com/h\",\"timeoutSeconds\":0}", "timeoutSeconds")]
    [InlineData("{\"name\":\"x\",\"url\":\"https://example.com/h\",\"maxPerSecond\":0}", "maxPerSecond")]
    [InlineData("{\"name\":\"x\",\"url\":\"https://example.com/h\",\"maxConcurrency\":1000}", "maxConcurrency")]
    [InlineData("{\"name\":\"x\",\"url\":\"https://example.com/h\",\"filter\":{\"eventTypes\":[\"likes\"]}}", "filter.eventTypes")]
    [InlineData("{\"name\":\"x\",\"url\":\"https://example.com/h\",\"filter\":{\"accountIds\":[\"abc\"]}}", "filter.accountIds")]
    [InlineData("{\"name\":\"x\",\"url\":\"https://example.com/h\",\"headers\":{\"webhook-signature\":\"forged\"}}", "headers")]
    [InlineData("{\"name\":\"x\",\"url\":\"https://example.com/h\",\"headers\":{\"x-a\":\"line\\r\\nbreak\"}}", "headers")]
    public async Task Create_InvalidField_Returns400NamingIt(string json, string field)
    {
        var response = await _app.ApiClient().PostAsync("/api/destinations", new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}");
    }

    [Theory]
    [InlineData("status=sent", "status")]
    [InlineData("limit=0", "limit")]
    [InlineData("cursor=nope", "cursor")]
    public async Task Messages_BadQuery_Returns400NamingIt(string query, string field)
    {
        var id = (await (await _app.ApiClient().PostAsJsonAsync("/api/destinations", Body())).JsonAsync()).GetProperty("destinationId").GetString();

        var response = await _app.ApiClient().GetAsync($"/api/destinations/{id}/messages?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Replay_WithoutSince_Returns400NamingIt()
    {
        var id = (await (await _app.ApiClient().PostAsJsonAsync("/api/destinations", Body())).JsonAsync()).GetProperty("destinationId").GetString();

        var response = await _app.ApiClient().PostAsJsonAsync($"/api/destinations/{id}/replay", new { });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("since", out _));
    }

    [Fact]
    public async Task Delete_Existing_Returns204AndIsGone()
    {
        var id = (await (await _app.ApiClient().PostAsJsonAsync("/api/destinations", Body())).JsonAsync()).GetProperty("destinationId").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await _app.ApiClient().DeleteAsync($"/api/destinations/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _app.ApiClient().GetAsync($"/api/destinations/{id}")).StatusCode);
    }
}
