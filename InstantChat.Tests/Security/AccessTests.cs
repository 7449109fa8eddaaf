using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using InstantChat.Tests.TestSupport;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Security;

/// <summary>Every route × {anonymous, viewer key, admin key}: who gets in, and who is told 401 or 403.</summary>
public sealed class AccessTests : IClassFixture<AccessTests.Host>
{
    const string Id = "01KZZZZZZZZZZZZZZZZZZZZZZZ";

    /// <summary>method, path, body, anonymous, viewer, admin.</summary>
    public static readonly TheoryData<string, string, string?, int, int, int> Routes = new()
    {
        { "GET", "/api/webhooks/events", null, 401, 200, 200 },
        { "GET", $"/api/webhooks/events/{Id}", null, 401, 404, 404 },
        { "GET", $"/api/webhooks/events/{Id}/attempts", null, 401, 404, 404 },
        { "POST", $"/api/webhooks/events/{Id}/retry", null, 401, 403, 404 },
        { "POST", "/api/webhooks/events/retry", "{}", 401, 403, 202 },
        { "GET", $"/api/webhooks/deliveries/{Id}", null, 401, 404, 404 },
        { "GET", $"/api/webhooks/deliveries/{Id}/body", null, 401, 404, 404 },
        { "GET", "/api/webhooks/subscriptions", null, 401, 200, 200 },
        { "POST", "/api/webhooks/subscriptions", "{}", 401, 403, 400 },
        { "GET", "/api/webhooks/subscriptions/nope", null, 401, 404, 404 },
        { "PUT", "/api/webhooks/subscriptions/nope", "{\"instagramAccountId\":\"1\"}", 401, 403, 404 },
        { "DELETE", "/api/webhooks/subscriptions/nope", null, 401, 403, 404 },
        { "GET", "/api/webhooks/stats", null, 401, 200, 200 },
        { "POST", "/api/webhooks/instagram/test", "{}", 401, 403, 400 },
        { "GET", "/api/conversations", null, 401, 200, 200 },
        { "GET", "/api/conversations/nope/messages", null, 401, 404, 404 },
        { "GET", "/api/comments", null, 401, 200, 200 },
        { "POST", "/api/keys", "{}", 401, 403, 400 },
        { "GET", "/api/keys", null, 401, 403, 200 },
        { "DELETE", "/api/keys/nope", null, 401, 403, 404 },
        { "GET", "/metrics", null, 401, 200, 200 },
        { "GET", $"/api/webhooks/events/{Id}/deliveries", null, 401, 404, 404 },
        { "GET", "/api/destinations", null, 401, 403, 200 },
        { "GET", "/api/destinations/health", null, 401, 403, 200 },
        { "POST", "/api/destinations/nope/test", null, 401, 403, 404 },
        { "POST", "/api/destinations", "{}", 401, 403, 400 },
        { "GET", "/api/destinations/nope", null, 401, 403, 404 },
        { "PUT", "/api/destinations/nope", "{\"name\":\"x\",\"url\":\"https://example.com/h\"}", 401, 403, 404 },
        { "DELETE", "/api/destinations/nope", null, 401, 403, 404 },
        { "POST", "/api/destinations/nope/rotate-secret", null, 401, 403, 404 },
        { "GET", "/api/destinations/nope/messages", null, 401, 403, 404 },
        { "POST", "/api/destinations/nope/messages/msg_x/retry", null, 401, 403, 404 },
        { "POST", "/api/destinations/nope/messages/retry", "{}", 401, 403, 404 },
        { "POST", "/api/destinations/nope/replay", "{\"since\":\"2026-01-01T00:00:00Z\"}", 401, 403, 404 },
        { "GET", "/api/alerts", null, 401, 200, 200 },
        { "GET", "/api/alerts/rules", null, 401, 403, 200 },
        { "PUT", "/api/alerts/rules", "{\"failedEvents\":{\"enabled\":true,\"threshold\":0}}", 401, 403, 400 },
        { "GET", "/api/users", null, 401, 403, 200 },
        { "POST", "/api/users", "{}", 401, 403, 400 },
        { "PUT", "/api/users/nope", "{}", 401, 403, 404 },
        { "DELETE", "/api/users/nope", null, 401, 403, 404 },
        { "GET", "/api/webhooks/instagram?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", null, 403, 403, 403 },
        { "POST", "/api/webhooks/instagram", "{}", 401, 401, 401 },
        { "GET", "/api/webhooks/meta?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1", null, 403, 403, 403 },
        { "POST", "/api/webhooks/meta", "{}", 401, 401, 401 },
        { "GET", "/healthz", null, 200, 200, 200 },
        { "GET", "/readyz", null, 200, 200, 200 },
        { "GET", "/openapi/v1.json", null, 200, 200, 200 },
    };

    readonly Host _host;
    public AccessTests(Host host) => _host = host;

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_EachCaller_GetsItsStatus(string method, string path, string? body, int anonymous, int viewer, int admin)
    {
        Assert.Equal(anonymous, await StatusAsync(method, path, body, null));
        Assert.Equal(viewer, await StatusAsync(method, path, body, await _host.ViewerKeyAsync()));
        Assert.Equal(admin, await StatusAsync(method, path, body, AppFactory.ApiKey));
    }

    [Fact]
    public void Routes_Table_CoversEveryApiRoute()
    {
        var tested = Routes.Select(r => r.Data.Item2.Split('?')[0]).ToHashSet();
        var mapped = _host.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/'))
            .Where(r => r.StartsWith("/api/", StringComparison.Ordinal));
        Assert.All(mapped, route => Assert.Contains(tested, t => Matches(route, t)));
    }

    static bool Matches(string pattern, string path)
    {
        var p = pattern.Split('/');
        var t = path.Split('/');
        return p.Length == t.Length && p.Zip(t).All(x => x.First.StartsWith('{') || x.First == x.Second);
    }

    async Task<int> StatusAsync(string method, string path, string? body, string? key)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await _host.App.CreateClient().SendAsync(request);
        return (int)response.StatusCode;
    }

    public sealed class Host : IDisposable
    {
        public AppFactory App { get; } = new(AppFactory.IngestOnly);
        string? _viewerKey;

        public async Task<string> ViewerKeyAsync()
        {
            if (_viewerKey is not null) return _viewerKey;
            var created = await App.ApiClient().PostAsJsonAsync("/api/keys", new { name = "scraper", role = "viewer" });
            return _viewerKey = (await created.JsonAsync()).GetProperty("key").GetString()!;
        }

        public void Dispose() => App.Dispose();
    }
}
