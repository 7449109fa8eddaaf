using System.Net;
using InstantChat.Core.Stats;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Security;

public sealed class HardeningTests
{
    [Theory]
    [InlineData("/login")]
    [InlineData("/api/webhooks/events")]
    [InlineData("/healthz")]
    public async Task Response_AnyPath_CarriesTheSecurityHeaders(string path)
    {
        using var app = new AppFactory(AppFactory.IngestOnly);
        var response = await app.CreateClient().GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", response.Headers.GetValues("Referrer-Policy").Single());
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self'", csp);
    }

    [Fact]
    public async Task Api_BurstFromOneKey_Returns429()
    {
        using var app = new AppFactory(new() { ["API_RATE_LIMIT"] = "3", ["WEBHOOK_WORKER_ENABLED"] = "false" });
        var api = app.ApiClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++) statuses.Add((await api.GetAsync("/api/webhooks/events")).StatusCode);

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task Webhook_OverItsLimit_Returns429SoMetaRetries()
    {
        using var app = new AppFactory(new() { ["WEBHOOK_RATE_LIMIT"] = "2", ["WEBHOOK_WORKER_ENABLED"] = "false" });
        var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await client.SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message($"m{i}", "x"))))).StatusCode);

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.OK, statuses[0]);
    }

    [Fact]
    public async Task Api_UnexpectedFailureInProduction_Returns500ProblemDetails()
    {
        // Production adds the dashboard's HTML error page; an API client must still get problem details.
        using var app = new AppFactory(new() { ["environment"] = "Production", ["WEBHOOK_WORKER_ENABLED"] = "false" })
        {
            ConfigureTestServices = s => s.AddSingleton<IStatsStore, BrokenStatsStore>(),
        };
        var response = await app.ApiClient().GetAsync("/api/webhooks/stats");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("\"status\":500", body);
        Assert.DoesNotContain("counters are gone", body); // the exception's text stays in the log
    }

    sealed class BrokenStatsStore : IStatsStore
    {
        static Task<IReadOnlyList<StatCounter>> Fail() => throw new InvalidOperationException("counters are gone");
        public Task<IReadOnlyList<StatCounter>> ReadAsync(IReadOnlyCollection<string> kinds, CancellationToken cancellationToken) => Fail();
        public Task<IReadOnlyList<StatCounter>> RangeAsync(string kind, string fromKey, string toKey, CancellationToken cancellationToken) => Fail();
        public Task<IReadOnlyList<StatCounter>> TopAsync(string kind, int count, CancellationToken cancellationToken) => Fail();
    }
}
