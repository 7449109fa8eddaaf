using System.Collections.Concurrent;
using System.Net;
using InstantChat.Core.Notifications;
using InstantChat.Core.Storage;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace InstantChat.Tests.Scaling;

/// <summary>Two app hosts on one MongoDB-wire database, as in a scaled-out deployment.</summary>
public sealed class TwoHostTests(Jongodb server)
{
    internal static Dictionary<string, string?> Settings(string uri) => new()
    {
        ["MONGO_URI"] = uri,
        ["WEBHOOK_POLL_INTERVAL_MS"] = "50",
        ["WEBHOOK_BATCH_SIZE"] = "7", // small claims, so both hosts take part
    };

    [Fact]
    public async Task Deliveries_SpreadOverTwoHosts_EveryEventProcessedExactlyOnce()
    {
        var uri = server.NewDatabaseUri();
        using var a = new AppFactory(Settings(uri));
        using var b = new AppFactory(Settings(uri));
        Assert.IsType<Core.Storage.Mongo.MongoEventStore>(a.Services.GetRequiredService<IEventStore>());
        var clients = new[] { a.CreateClient(), b.CreateClient() };

        var posts = Enumerable.Range(0, 60).Select(async i =>
        {
            var body = Deliveries.Envelope(Deliveries.Message($"m{i}a", "x", sender: $"u{i % 5}"), Deliveries.Message($"m{i}b", "y", sender: $"u{i % 5}"));
            var response = await clients[i % 2].SendAsync(Signing.SignedPost(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        });
        await Task.WhenAll(posts);

        var api = a.ApiClient();
        var events = await Eventually.WaitAsync(() => api.EventsAsync(),
            list => list.Count == 120 && list.All(e => e.GetProperty("processedStatus").GetString() == "completed"), TimeSpan.FromSeconds(60));
        Assert.All(events, e => Assert.Equal(1, e.GetProperty("attempts").GetInt32()));
        var attempts = await Task.WhenAll(events.Take(20).Select(e => api.GetJsonAsync($"/api/webhooks/events/{e.GetProperty("eventId").GetString()}/attempts")));
        Assert.All(attempts, h => Assert.Equal(1, h.GetProperty("items").GetArrayLength()));
        var threads = (await api.GetJsonAsync("/api/conversations")).GetProperty("items");
        Assert.Equal(5, threads.GetArrayLength());
        Assert.All(threads.EnumerateArray(), t => Assert.Equal(24, t.GetProperty("messageCount").GetInt32()));
    }

    [Fact]
    public Task Feed_EventIngestedOnHostB_ReachesSubscriberOnHostA() => FeedAcrossHostsAsync(server.NewDatabaseUri());

    /// <summary>On jongodb (no change streams) this exercises the polling path; on a real MongoDB, the change stream.</summary>
    internal static async Task FeedAcrossHostsAsync(string uri)
    {
        using var a = new AppFactory(Settings(uri));
        using var b = new AppFactory(Settings(uri) is var s ? new(s) { ["WEBHOOK_WORKER_ENABLED"] = "false" } : null);
        var seenOnA = new ConcurrentQueue<(EventChange Change, string Id)>();
        using var _ = a.Services.GetRequiredService<IEventFeed>().Subscribe((change, events) =>
        {
            foreach (var e in events) seenOnA.Enqueue((change, e.DeduplicationKey));
        });

        await b.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message("from-b", "hello A"))));

        await Eventually.WaitAsync(() => Task.FromResult(seenOnA.ToList()),
            list => list.Any(x => x.Change == EventChange.Received && x.Id.EndsWith(":from-b")), TimeSpan.FromSeconds(10));
    }
}

/// <summary>The cross-host feed on a real MongoDB replica set, where it follows the change stream.</summary>
public sealed class RealMongoTwoHostTests(RealMongo server)
{
    [Fact]
    public Task Feed_EventIngestedOnHostB_ReachesSubscriberOnHostAThroughTheChangeStream() =>
        TwoHostTests.FeedAcrossHostsAsync(server.NewDatabaseUri());
}
