using System.Net;
using InstantChat.Tests.TestSupport;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Web;

public sealed class OperatorEndpointTests : IDisposable
{
    readonly AppFactory _app = new();
    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Metrics_AfterTraffic_ExposesDeliveriesEventsAndLatencies()
    {
        await _app.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message("m1", "x"))));
        await _app.CreateClient().PostAsync("/api/webhooks/instagram", new ByteArrayContent([1]));
        var api = _app.ApiClient();
        await Eventually.WaitAsync(() => api.EventsAsync(), l => l.Count == 1 && l[0].GetProperty("processedStatus").GetString() == "completed");

        var text = await Eventually.WaitAsync(() => api.GetStringAsync("/metrics"), t => t.Contains("instantchat_processing_duration"));

        Assert.Contains("instantchat_deliveries_total{otel_scope_name=\"InstantChat.Webhooks\",outcome=\"accepted\"}", text.Replace("otel_scope_version=\"\",", ""));
        Assert.Contains("outcome=\"unauthorized\"", text);
        Assert.Contains("instantchat_events_total", text);
        Assert.Contains("status=\"completed\"", text);
        Assert.Contains("instantchat_ack_duration_milliseconds_bucket", text);
        Assert.Contains("instantchat_queue_depth", text);
    }

    [Fact]
    public async Task Stats_AfterTraffic_ReportEveryFigure()
    {
        await _app.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message("m1", "x"), Deliveries.Message("m2", "y"))));
        var api = _app.ApiClient();
        await Eventually.WaitAsync(() => api.EventsAsync(), l => l.Count == 2 && l.All(e => e.GetProperty("processedStatus").GetString() == "completed"));

        var stats = await Eventually.WaitAsync(() => api.GetJsonAsync("/api/webhooks/stats"), s => s.GetProperty("byStatus").TryGetProperty("completed", out var c) && c.GetInt64() == 2);

        Assert.Equal(2, stats.GetProperty("total").GetInt64());
        Assert.Equal(2, stats.GetProperty("byType").GetProperty("messages").GetInt64());
        Assert.Equal(1.0, stats.GetProperty("successRate").GetDouble());
        Assert.Equal(0, stats.GetProperty("queueLength").GetInt64());
        foreach (var field in new[] { "errorRate", "averageProcessingMs", "throughputPerSecond", "latency", "eventsPerAccount", "topSenders", "last24Hours", "last7Days" })
            Assert.True(stats.TryGetProperty(field, out _), field);
        Assert.Equal(24, stats.GetProperty("last24Hours").GetArrayLength());
    }

    [Fact]
    public async Task Metrics_Anonymous_Returns401() =>
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().GetAsync("/metrics")).StatusCode);

    [Fact]
    public async Task OpenApi_Document_ListsEveryApiRoute()
    {
        var doc = await _app.CreateClient().GetJsonAsync("/openapi/v1.json");
        var documented = doc.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();

        var routes = _app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => "/" + e.RoutePattern.RawText!.Trim('/')) // a group mapped at "" ends in a slash
            .Where(r => r.StartsWith("/api/", StringComparison.Ordinal))
            .Distinct().ToList();

        Assert.NotEmpty(routes);
        Assert.All(routes, r => Assert.Contains(r, documented));
    }

    [Fact]
    public async Task ApiReference_Page_IsServed()
    {
        var response = await _app.CreateClient().GetAsync("/api-reference");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("text/html", response.Content.Headers.ContentType?.ToString());
    }
}
