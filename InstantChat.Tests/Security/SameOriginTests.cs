using System.Net;
using InstantChat.Tests.TestSupport;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Http;

namespace InstantChat.Tests.Security;

/// <summary>Cookie-authenticated state changes from another site are refused; API keys are not affected.</summary>
public sealed class SameOriginTests : IClassFixture<SameOriginTests.Host>
{
    const string AdminPassword = "same origin admin password";
    const string Retry = "/api/webhooks/events/01KZZZZZZZZZZZZZZZZZZZZZZZ/retry";
    readonly Host _host;
    public SameOriginTests(Host host) => _host = host;

    /// <summary>A form post (a content type a foreign page may send without a preflight) with the admin's cookie.</summary>
    async Task<HttpResponseMessage> CookiePostAsync(string path, string? origin, string? referer = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([]) };
        request.Headers.Add("Cookie", await _host.CookieAsync());
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (referer is not null) request.Headers.Add("Referer", referer);
        return await _host.App.CreateClient(new() { AllowAutoRedirect = false }).SendAsync(request);
    }

    [Theory]
    [InlineData("http://evil.example")]
    [InlineData("http://localhost.evil.example")]
    [InlineData("http://localhost:8080")]
    [InlineData("null")]
    public async Task Post_CookieFromForeignOrigin_Returns403ProblemDetails(string origin)
    {
        var response = await CookiePostAsync(Retry, origin);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("http://localhost", null)]
    [InlineData("https://localhost", null)] // behind a TLS-terminating proxy
    [InlineData(null, "http://localhost/events?status=failed")]
    public async Task Post_CookieFromThisSite_PassesTheCheck(string? origin, string? referer)
    {
        Assert.Equal(HttpStatusCode.NotFound, (await CookiePostAsync(Retry, origin, referer)).StatusCode);
    }

    [Theory]
    [InlineData(null, "http://evil.example/page")]
    [InlineData(null, null)]
    public async Task Post_CookieWithForeignOrNoReferer_Returns403(string? origin, string? referer)
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await CookiePostAsync(Retry, origin, referer)).StatusCode);
    }

    [Fact]
    public async Task Post_BearerKeyFromForeignOrigin_IsUnaffected()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, Retry) { Content = new FormUrlEncodedContent([]) };
        request.Headers.Add("Origin", "http://evil.example");
        request.Headers.Authorization = new("Bearer", AppFactory.ApiKey);

        Assert.Equal(HttpStatusCode.NotFound, (await _host.App.CreateClient().SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task Logout_CookieFromForeignOrigin_Returns403AndTheSessionLasts()
    {
        Assert.Equal(HttpStatusCode.Forbidden, (await CookiePostAsync("/account/logout", "http://evil.example")).StatusCode);

        var check = new HttpRequestMessage(HttpMethod.Get, "/api/users");
        check.Headers.Add("Cookie", await _host.CookieAsync());
        Assert.Equal(HttpStatusCode.OK, (await _host.App.CreateClient().SendAsync(check)).StatusCode);
    }

    [Theory]
    [InlineData("http://localhost:5000", "localhost:5000", true)]
    [InlineData("https://Example.COM", "example.com", true)]
    [InlineData("https://example.com", "example.com:443", true)]
    [InlineData("http://[::1]:5000", "[::1]:5000", true)]
    [InlineData("http://localhost:5001", "localhost:5000", false)]
    [InlineData("http://example.com.evil.example", "example.com", false)]
    [InlineData("ftp://example.com", "example.com", false)]
    [InlineData("null", "example.com", false)]
    [InlineData("", "example.com", false)]
    public void FromThisSite_OriginAgainstHost_ComparesHostAndPortOnly(string origin, string host, bool expected)
    {
        var request = new DefaultHttpContext().Request;
        request.Host = new HostString(host);
        if (origin.Length > 0) request.Headers.Origin = origin;

        Assert.Equal(expected, SameOrigin.FromThisSite(request, sourceRequired: true));
    }

    public sealed class Host : IDisposable
    {
        public AppFactory App { get; } = new(AppFactory.SignInHost(AdminPassword));
        string? _cookie;

        public async Task<string> CookieAsync() => _cookie ??= Browsers.AuthCookie(await App.Browser().SignInAsync("admin", AdminPassword));

        public void Dispose() => App.Dispose();
    }
}
