using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using InstantChat.Tests.TestSupport;
using Microsoft.AspNetCore.Mvc.Testing;

namespace InstantChat.Tests.Security;

/// <summary>No API answer may be kept by a browser or proxy cache: a new key, events, errors alike.</summary>
public sealed class CacheControlTests : IClassFixture<AccessTests.Host>
{
    readonly AccessTests.Host _host;
    public CacheControlTests(AccessTests.Host host) => _host = host;

    /// <summary>Every route of the access table (which covers every /api route).</summary>
    public static TheoryData<string, string, string?> Routes => new(AccessTests.Routes.Select(r => (r.Data.Item1, r.Data.Item2, r.Data.Item3)));

    /// <summary>As anonymous (401s, and the public answers), viewer (403s) and admin (200, 400, 404…).</summary>
    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Route_EachCaller_AnswersNoStore(string method, string path, string? body)
    {
        foreach (var key in new[] { null, await _host.ViewerKeyAsync(), AppFactory.ApiKey })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            AssertNoStore(await _host.App.CreateClient().SendAsync(request));
        }
    }

    [Fact]
    public async Task CreateKey_Admin_AnswersNoStore()
    {
        var response = await _host.App.ApiClient().PostAsJsonAsync("/api/keys", new { name = "cached?", role = "viewer" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        AssertNoStore(response);
    }

    [Theory]
    [InlineData("POST", "/hubs/webhooks/negotiate?negotiateVersion=1")]
    [InlineData("POST", "/account/logout")]
    [InlineData("POST", "/account/login")]
    [InlineData("GET", "/api/nothing-here")]
    public async Task OtherApiAnswers_AnyCaller_AnswerNoStore(string method, string path)
    {
        var client = _host.App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        AssertNoStore(await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path)));
        var admin = new HttpRequestMessage(new HttpMethod(method), path) { Headers = { Authorization = new("Bearer", AppFactory.ApiKey) } };
        AssertNoStore(await client.SendAsync(admin));
    }

    [Fact]
    public async Task Api_OverTheRateLimit_The429AnswersNoStore()
    {
        using var app = new AppFactory(new() { ["API_RATE_LIMIT"] = "1", ["WEBHOOK_WORKER_ENABLED"] = "false" });
        var api = app.ApiClient();
        await api.GetAsync("/api/webhooks/events");

        var limited = await api.GetAsync("/api/webhooks/events");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        AssertNoStore(limited);
    }

    static void AssertNoStore(HttpResponseMessage response) =>
        Assert.True(response.Headers.CacheControl?.NoStore == true,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} → {(int)response.StatusCode} has Cache-Control '{response.Headers.CacheControl}'");
}
