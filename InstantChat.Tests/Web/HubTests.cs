using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using InstantChat.Tests.TestSupport;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using InstantChat.Web.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace InstantChat.Tests.Web;

public sealed class HubTests : IDisposable
{
    const string AdminPassword = "hub tests admin password";
    readonly AppFactory _app = new(new() { ["ADMIN_PASSWORD"] = AdminPassword });
    public void Dispose() => _app.Dispose();

    HubConnection Connect(string? key) => Connect(_app, key);

    /// <summary>A hub client with an API key, or with a browser's sign-in cookie (and the Origin a browser sends).</summary>
    static HubConnection Connect(AppFactory app, string? key, string? cookie = null) => new HubConnectionBuilder()
        .WithUrl(new Uri(app.Server.BaseAddress, "/hubs/webhooks"), o =>
        {
            // TestServer speaks HTTP only: long polling, with the key as the SignalR clients send it.
            o.Transports = HttpTransportType.LongPolling;
            o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
            if (key is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(key);
            if (cookie is not null) (o.Headers["Cookie"], o.Headers["Origin"]) = (cookie, Browsers.ThisSite);
        })
        .Build();

    static async Task<TaskCompletionSource> StartWatchingCloseAsync(HubConnection connection)
    {
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await connection.StartAsync();
        return closed;
    }

    /// <summary>Moves the fake clock one re-check at a time (30 s at most) until the connection closes.</summary>
    static async Task AssertClosedWithinThirtySecondsAsync(FakeTimeProvider clock, Task closed)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(30) && !closed.IsCompleted; elapsed += SessionCheck.RecheckEvery)
        {
            clock.Advance(SessionCheck.RecheckEvery);
            await Task.WhenAny(closed, Task.Delay(TimeSpan.FromSeconds(3)));
        }
        Assert.True(closed.IsCompleted, "the connection is still open 30 s (fake clock) after its access ended");
    }

    [Fact]
    public async Task Connection_KeyRevoked_IsClosedWithinThirtySeconds()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = AppFactory.OnClock(clock, AppFactory.IngestOnly);
        var created = await (await app.ApiClient().PostAsJsonAsync("/api/keys", new { name = "hub client", role = "viewer" })).JsonAsync();
        await using var connection = Connect(app, created.GetProperty("key").GetString());
        var closed = await StartWatchingCloseAsync(connection);
        clock.Advance(SessionCheck.RecheckEvery);
        await Task.Delay(200);
        Assert.False(closed.Task.IsCompleted, "a valid key's connection is kept");

        Assert.Equal(System.Net.HttpStatusCode.NoContent, (await app.ApiClient().DeleteAsync($"/api/keys/{created.GetProperty("keyId").GetString()}")).StatusCode);

        await AssertClosedWithinThirtySecondsAsync(clock, closed.Task);
    }

    [Fact]
    public async Task Connection_UserDisabled_IsClosedWithinThirtySeconds()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var app = AppFactory.OnClock(clock, AppFactory.IngestOnly);
        var user = await (await app.ApiClient().PostAsJsonAsync("/api/users", new { username = "vera", password = "a long viewer password", role = "viewer" })).JsonAsync();
        var cookie = Browsers.AuthCookie(await app.Browser().SignInAsync("vera", "a long viewer password"));
        await using var connection = Connect(app, null, cookie);
        var closed = await StartWatchingCloseAsync(connection);

        await app.ApiClient().PutAsJsonAsync($"/api/users/{user.GetProperty("userId").GetString()}", new { disabled = true });

        await AssertClosedWithinThirtySecondsAsync(clock, closed.Task);
    }

    [Fact]
    public async Task Negotiate_CookieFromForeignOrigin_Returns403AndFromThisSiteSucceeds()
    {
        var cookie = Browsers.AuthCookie(await _app.Browser().SignInAsync("admin", AdminPassword));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await NegotiateAsync(_app, cookie, "http://evil.example")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await NegotiateAsync(_app, cookie, Browsers.ThisSite)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await NegotiateAsync(_app, cookie, "http://evil.example", "/_blazor/negotiate?negotiateVersion=1")).StatusCode);
    }

    [Fact]
    public async Task WebSocket_CookieFromForeignOrigin_IsRefused()
    {
        var cookie = Browsers.AuthCookie(await _app.Browser().SignInAsync("admin", AdminPassword));
        async Task<string> TokenAsync() => (await (await NegotiateAsync(_app, cookie, Browsers.ThisSite)).JsonAsync()).GetProperty("connectionToken").GetString()!;
        Task<System.Net.WebSockets.WebSocket> OpenAsync(string token, string origin)
        {
            var client = _app.Server.CreateWebSocketClient();
            client.ConfigureRequest = r => (r.Headers["Cookie"], r.Headers["Origin"]) = (cookie, origin);
            return client.ConnectAsync(new Uri($"ws://localhost{WebhookHubPath}?id={token}"), CancellationToken.None);
        }

        var token = await TokenAsync();
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => OpenAsync(token, "http://evil.example"));
        Assert.Contains("403", refused.Message);
        using var accepted = await OpenAsync(await TokenAsync(), Browsers.ThisSite);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Open, accepted.State);
    }

    const string WebhookHubPath = InstantChat.Web.Hubs.WebhookHub.Path;

    static Task<HttpResponseMessage> NegotiateAsync(AppFactory app, string cookie, string origin, string path = WebhookHubPath + "/negotiate?negotiateVersion=1")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("Cookie", cookie);
        request.Headers.Add("Origin", origin);
        return app.CreateClient().SendAsync(request);
    }

    [Fact]
    public async Task Connect_Anonymous_IsRejected()
    {
        await using var connection = Connect(null);
        var ex = await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, ex.StatusCode);
    }

    [Fact]
    public async Task Connect_WrongKey_IsRejected()
    {
        await using var connection = Connect("ick_not-a-key");
        await Assert.ThrowsAsync<HttpRequestException>(() => connection.StartAsync());
    }

    [Fact]
    public async Task ViewerKey_ReceivesEventReceivedThenEventUpdated()
    {
        var created = await _app.ApiClient().PostAsJsonAsync("/api/keys", new { name = "hub client", role = "viewer" });
        var key = (await created.JsonAsync()).GetProperty("key").GetString();
        await using var connection = Connect(key);
        var messages = Channel.CreateUnbounded<(string Method, JsonElement Event)>();
        connection.On<JsonElement>("eventReceived", e => messages.Writer.TryWrite(("eventReceived", e)));
        connection.On<JsonElement>("eventUpdated", e => messages.Writer.TryWrite(("eventUpdated", e)));
        await connection.StartAsync();

        await _app.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message("live1", "hello hub"))));

        // The processor stores an event with its first attempt made: it arrives completed.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var (method, received) = await messages.Reader.ReadAsync(timeout.Token);
        Assert.Equal("eventReceived", method);
        Assert.Equal("hello hub", received.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal("completed", received.GetProperty("processedStatus").GetString());
        // A later change (here a manual retry) comes as eventUpdated.
        await _app.ApiClient().PostAsync($"/api/webhooks/events/{received.GetProperty("eventId").GetString()}/retry", null);
        while (true)
        {
            var (next, e) = await messages.Reader.ReadAsync(timeout.Token);
            if (next == "eventUpdated" && e.GetProperty("eventId").GetString() == received.GetProperty("eventId").GetString()) break;
        }
    }

    [Fact]
    public async Task Flood_ThousandUpdatesOfOneEvent_CoalescedToFewMessagesEndingInTheLatestState()
    {
        var created = await _app.ApiClient().PostAsJsonAsync("/api/keys", new { name = "flood", role = "viewer" });
        await using var connection = Connect((await created.JsonAsync()).GetProperty("key").GetString());
        var updates = Channel.CreateUnbounded<JsonElement>();
        connection.On<JsonElement>("eventUpdated", e => updates.Writer.TryWrite(e));
        await connection.StartAsync();
        var feed = _app.Services.GetRequiredService<InstantChat.Core.Notifications.IEventFeed>();
        var e = new InstantChat.Core.EventModel.WebhookEvent
        {
            EventId = InstantChat.Core.EventModel.EventIds.New(DateTimeOffset.UtcNow), EventType = "messages", Timestamp = DateTimeOffset.UtcNow,
            ReceivedAt = DateTimeOffset.UtcNow, DeduplicationKey = "flood", DeliveryId = "d",
        };

        for (var i = 1; i <= 1000; i++) feed.Publish(InstantChat.Core.Notifications.EventChange.Updated, [e with { Attempts = i }]);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<JsonElement>();
        while (seen.Count == 0 || seen[^1].GetProperty("attempts").GetInt32() != 1000) seen.Add(await updates.Reader.ReadAsync(timeout.Token));
        Assert.True(seen.Count <= 10, $"{seen.Count} messages for one event's 1,000 updates");
    }
}
