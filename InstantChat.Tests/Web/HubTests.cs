using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using InstantChat.Tests.TestSupport;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Web;

public sealed class HubTests : IDisposable
{
    readonly AppFactory _app = new();
    public void Dispose() => _app.Dispose();

    HubConnection Connect(string? key) => new HubConnectionBuilder()
        .WithUrl(new Uri(_app.Server.BaseAddress, "/hubs/webhooks"), o =>
        {
            // TestServer speaks HTTP only: long polling, with the key as the SignalR clients send it.
            o.Transports = HttpTransportType.LongPolling;
            o.HttpMessageHandlerFactory = _ => _app.Server.CreateHandler();
            if (key is not null) o.AccessTokenProvider = () => Task.FromResult<string?>(key);
        })
        .Build();

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
    public async Task ViewerKey_ReceivesEventReceivedAndEventUpdated()
    {
        var created = await _app.ApiClient().PostAsJsonAsync("/api/keys", new { name = "hub client", role = "viewer" });
        var key = (await created.JsonAsync()).GetProperty("key").GetString();
        await using var connection = Connect(key);
        var messages = Channel.CreateUnbounded<(string Method, JsonElement Event)>();
        connection.On<JsonElement>("eventReceived", e => messages.Writer.TryWrite(("eventReceived", e)));
        connection.On<JsonElement>("eventUpdated", e => messages.Writer.TryWrite(("eventUpdated", e)));
        await connection.StartAsync();

        await _app.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message("live1", "hello hub"))));

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<(string Method, JsonElement Event)>();
        while (!seen.Any(m => m.Method == "eventUpdated" && m.Event.GetProperty("processedStatus").GetString() == "completed"))
            seen.Add(await messages.Reader.ReadAsync(timeout.Token));
        var received = seen.First(m => m.Method == "eventReceived").Event;
        Assert.Equal("hello hub", received.GetProperty("content").GetProperty("text").GetString());
        Assert.Equal("pending", received.GetProperty("processedStatus").GetString());
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
        var e = new InstantChat.Core.Webhooks.WebhookEvent
        {
            EventId = InstantChat.Core.Webhooks.EventIds.New(DateTimeOffset.UtcNow), EventType = "messages", Timestamp = DateTimeOffset.UtcNow,
            ReceivedAt = DateTimeOffset.UtcNow, DeduplicationKey = "flood", DeliveryId = "d",
        };

        for (var i = 1; i <= 1000; i++) feed.Publish(InstantChat.Core.Notifications.EventChange.Updated, [e with { Attempts = i }]);

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var seen = new List<JsonElement>();
        while (seen.Count == 0 || seen[^1].GetProperty("attempts").GetInt32() != 1000) seen.Add(await updates.Reader.ReadAsync(timeout.Token));
        Assert.True(seen.Count <= 10, $"{seen.Count} messages for one event's 1,000 updates");
    }
}
