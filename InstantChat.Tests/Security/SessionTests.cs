using System.Net;
using System.Net.Http.Json;
using InstantChat.Core.Security;
using InstantChat.Tests.TestSupport;
using InstantChat.Web.Auth;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace InstantChat.Tests.Security;

/// <summary>A session ends with its user's access: role change, disabling, password reset, deletion, sign-out, and after 12 h.</summary>
public sealed class SessionTests : IDisposable
{
    const string AdminPassword = "correct horse battery staple";
    const string ErinPassword = "erin's long admin password";
    readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    readonly AppFactory _app;

    public SessionTests() => _app = AppFactory.OnClock(_clock, AppFactory.SignInHost(AdminPassword));

    public void Dispose() => _app.Dispose();

    /// <summary>A second admin (the built-in one stays, so erin may be demoted, disabled or deleted), signed in in a browser.</summary>
    async Task<(HttpClient Browser, string UserId)> SignedInErinAsync()
    {
        var created = await _app.ApiClient().PostAsJsonAsync("/api/users", new { username = "erin", password = ErinPassword, role = "admin" });
        var userId = (await created.JsonAsync()).GetProperty("userId").GetString()!;
        var browser = _app.Browser();
        Assert.Equal("/", (await browser.SignInAsync("erin", ErinPassword)).Location());
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/users")).StatusCode);
        return (browser, userId);
    }

    public static readonly TheoryData<string> Changes = new() { "demote", "disable", "reset", "delete" };

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Cookie_UserChangedOnThisHost_EndsAtOnce(string change)
    {
        var (browser, userId) = await SignedInErinAsync();
        var api = _app.ApiClient();
        var response = change switch
        {
            "demote" => await api.PutAsJsonAsync($"/api/users/{userId}", new { role = "viewer" }),
            "disable" => await api.PutAsJsonAsync($"/api/users/{userId}", new { disabled = true }),
            "reset" => await api.PutAsJsonAsync($"/api/users/{userId}", new { password = "a brand new long password" }),
            _ => await api.DeleteAsync($"/api/users/{userId}"),
        };
        Assert.True(response.IsSuccessStatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/webhooks/events")).StatusCode);
        var page = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/login", page.Headers.Location!.PathAndQuery);
    }

    [Theory]
    [MemberData(nameof(Changes))]
    public async Task Cookie_UserChangedOnAnotherHost_EndsWithinTheCacheWindow(string change)
    {
        var (browser, userId) = await SignedInErinAsync();
        // Another host: its own UserService and cache over the same store, so this host's cache is not told.
        var store = _app.Services.GetRequiredService<IUserStore>();
        var otherHost = new UserService(store, new Pbkdf2PasswordHasher(), new UserCache(store, _clock), _clock);
        var done = change switch
        {
            "demote" => await otherHost.UpdateAsync(userId, Roles.Viewer, null, null, default),
            "disable" => await otherHost.UpdateAsync(userId, null, true, null, default),
            "reset" => await otherHost.UpdateAsync(userId, null, null, "a brand new long password", default),
            _ => await otherHost.DeleteAsync(userId, default),
        };
        Assert.Equal(UserChange.Done, done);

        _clock.Advance(UserCache.MaxAge);

        Assert.True(UserCache.MaxAge <= TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/webhooks/events")).StatusCode);
    }

    [Fact]
    public async Task Logout_CopiedCookie_StopsWorking()
    {
        var browser = _app.Browser();
        var cookie = Browsers.AuthCookie(await browser.SignInAsync("admin", AdminPassword));
        var copy = _app.CreateClient();
        copy.DefaultRequestHeaders.Add("Cookie", cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/api/users")).StatusCode);

        Assert.Equal(HttpStatusCode.Redirect, (await browser.PostAsync("/account/logout", null)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await copy.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public async Task Cookie_InUseForTwelveHours_EndsThoughTheSlidingExpiryRenews()
    {
        var browser = _app.Browser();
        await browser.SignInAsync("admin", AdminPassword);
        foreach (var step in new[] { TimeSpan.FromHours(5), TimeSpan.FromHours(5), TimeSpan.FromHours(1.9) })
        {
            _clock.Advance(step);
            Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/api/users")).StatusCode);
        }

        _clock.Advance(TimeSpan.FromHours(0.1));

        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.GetAsync("/api/users")).StatusCode);
    }

    [Fact]
    public void Circuits_AuthenticationState_IsRevalidatedWithinThirtySeconds()
    {
        using var scope = _app.Services.CreateScope();
        var provider = scope.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();

        var revalidating = Assert.IsAssignableFrom<RevalidatingServerAuthenticationStateProvider>(provider);
        Assert.True(SessionCheck.RecheckEvery + UserCache.MaxAge <= TimeSpan.FromSeconds(30));
        Assert.NotNull(revalidating);
    }
}
