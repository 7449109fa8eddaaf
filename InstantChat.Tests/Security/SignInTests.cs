using System.Net;
using System.Net.Http.Json;
using InstantChat.Core.Security;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Security;

public sealed class SignInTests : IDisposable
{
    const string AdminPassword = "correct horse battery";
    readonly AppFactory _app = new(AppFactory.SignInHost(AdminPassword));
    public void Dispose() => _app.Dispose();

    HttpClient Browser() => _app.Browser();

    [Fact]
    public async Task LoginPage_Anonymous_HasTheLabelledFields()
    {
        var page = await Browser().GetStringAsync("/login");
        Assert.Contains(">Username</label>", page);
        Assert.Contains(">Password</label>", page);
        Assert.Contains(">Sign in</button>", page);
    }

    [Fact]
    public async Task Page_Anonymous_RedirectsToLogin()
    {
        var response = await Browser().GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location!.PathAndQuery);
    }

    [Fact]
    public async Task SignIn_BuiltInAdmin_SetsAHardenedCookieThatOpensPagesAndTheApi()
    {
        var browser = Browser();
        var response = await browser.SignInAsync("Admin", AdminPassword, "/somewhere");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/somewhere", response.Headers.Location!.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("instantchat.auth="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task SignIn_ExternalReturnUrl_StaysOnThisSite()
    {
        var response = await Browser().SignInAsync("admin", AdminPassword, "https://evil.example/");
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("/\\evil.example")]
    [InlineData("/\\t/evil.example")]
    [InlineData("/\t/evil.example")]
    [InlineData("//evil.example")]
    [InlineData("https://evil.example")]
    [InlineData("%2F%5Cevil.example")]
    [InlineData("/\r\nLocation: https://evil.example")]
    [InlineData("/ok\u0001/evil")]
    [InlineData("javascript:alert(1)")]
    public async Task SignIn_MalformedOrForeignReturnUrl_GoesToTheRoot(string returnUrl)
    {
        var signedIn = await Browser().SignInAsync("admin", AdminPassword, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Location());

        var failed = await Browser().SignInAsync("admin", "wrong password", returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);
        Assert.Equal("/login?error=invalid&returnUrl=%2F", failed.Location());
    }

    [Fact]
    public async Task SignIn_LocalReturnUrlWithNonAscii_IsKeptEncoded()
    {
        var response = await Browser().SignInAsync("admin", AdminPassword, "/events?q=café au lait");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/events?q=caf%C3%A9%20au%20lait", response.Location());
    }

    [Theory]
    [InlineData("%2F%5Cevil.example")]
    [InlineData("%2F%2Fevil.example")]
    [InlineData("%2F%09%2Fevil.example")]
    public async Task LoginPage_MalformedReturnUrl_FormCarriesTheRoot(string encoded)
    {
        var page = await Browser().GetStringAsync($"/login?returnUrl={encoded}");
        Assert.Contains("name=\"returnUrl\" value=\"/\"", page);
    }

    [Fact]
    public async Task SignIn_WrongPassword_ReturnsToLoginWithAnError()
    {
        var browser = Browser();
        var response = await browser.SignInAsync("admin", "wrong password");

        Assert.StartsWith("/login?error=invalid", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task SignIn_BurstFromOneAddress_Returns429WithRetryAfter()
    {
        var browser = Browser();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 12; i++) last = await browser.SignInAsync($"nobody{i}", "whatever password");

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.NotNull(last.Headers.RetryAfter);
    }

    [Fact]
    public async Task SignIn_WithoutAntiforgeryToken_IsRejected()
    {
        var response = await Browser().PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["username"] = "admin", ["password"] = AdminPassword }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Viewer_SignedIn_ReadsButIsForbiddenAdminRoutes()
    {
        var created = await _app.ApiClient().PostAsJsonAsync("/api/users", new { username = "vera", password = "a long viewer password", role = "viewer" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var browser = Browser();
        await browser.SignInAsync("vera", "a long viewer password");

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/webhooks/events")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task Users_LastAdmin_CannotBeDemotedDisabledOrDeleted()
    {
        var api = _app.ApiClient();
        var admin = (await api.GetJsonAsync("/api/users")).GetProperty("items")[0].GetProperty("userId").GetString();

        Assert.Equal(HttpStatusCode.Conflict, (await api.PutAsJsonAsync($"/api/users/{admin}", new { role = "viewer" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PutAsJsonAsync($"/api/users/{admin}", new { disabled = true })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.DeleteAsync($"/api/users/{admin}")).StatusCode);

        await api.PostAsJsonAsync("/api/users", new { username = "second", password = "another admin password", role = "admin" });
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync($"/api/users/{admin}", new { role = "viewer" })).StatusCode);
    }

    [Fact]
    public async Task Users_List_NeverShowsPasswordHashes()
    {
        var text = await _app.ApiClient().GetStringAsync("/api/users");
        Assert.DoesNotContain("pbkdf2", text);
        Assert.DoesNotContain("password", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EnsureAdmin_NoPasswordConfigured_GeneratesOneOnceOnly()
    {
        using var app = new AppFactory();
        var users = app.Services.GetRequiredService<UserService>();
        Assert.Null(await users.EnsureAdminAsync(null, default)); // the host created it at start already
        using var stores = new SqliteStores();
        var fresh = new UserService(stores.Users, new Pbkdf2PasswordHasher(), new UserCache(stores.Users, TimeProvider.System), TimeProvider.System);
        var generated = await fresh.EnsureAdminAsync(null, default);
        Assert.NotNull(generated);
        Assert.NotNull(await fresh.SignInAsync("admin", generated, default));
        Assert.Null(await fresh.EnsureAdminAsync(null, default));
    }
}
