using System.Net;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Web;

/// <summary>A 200 means logged: whatever happens to the host after it, the events are made from the log, in this host or the next.</summary>
public sealed class DurableAckTests
{
    [Fact]
    public async Task Post_HostDisposedRightAfter200_EventsSurviveInANewHost()
    {
        using var dir = new TempDir();
        var body = Deliveries.Envelope(Deliveries.Message("m1", "one"), Deliveries.Message("m2", "two"));
        using (var first = new AppFactory(dataDir: dir.Path))
        {
            var response = await first.CreateClient().SendAsync(Signing.SignedPost(body));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        using var second = new AppFactory(dataDir: dir.Path);
        await Eventually.WaitAsync(() => second.ApiClient().EventsAsync(), events => events.Count == 2);
    }

    [Fact]
    public async Task Post_ProcessKilledMidStream_EveryAcknowledgedEventIsStored()
    {
        using var dir = new TempDir();
        var acknowledged = new List<string>();
        int AcknowledgedCount() { lock (acknowledged) return acknowledged.Count; }
        await using (var web = WebProcess.Start(new Dictionary<string, string>
        {
            ["DATA_DIR"] = dir.Path,
            ["INSTAGRAM_APP_SECRET"] = Signing.Secret,
        }))
        {
            await web.WaitUntilHealthyAsync(TimeSpan.FromSeconds(90));
            using var client = new HttpClient { BaseAddress = web.BaseAddress };
            // Concurrent deliveries share group commits; the kill lands while many are in flight,
            // and every one answered 200 must survive it.
            var killed = false;
            var senders = Enumerable.Range(0, 16).Select(async worker =>
            {
                for (var i = 0; i < 5_000 && !Volatile.Read(ref killed); i++)
                {
                    var mid = $"crash-{worker}-{i}";
                    try
                    {
                        var response = await client.SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message(mid, "x"))));
                        if (response.StatusCode == HttpStatusCode.OK) lock (acknowledged) acknowledged.Add(mid);
                    }
                    catch (HttpRequestException) { return; } // cut off by the kill: never acknowledged, so never promised
                }
            }).ToList();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline && AcknowledgedCount() < 300) await Task.Delay(1);
            web.Kill();
            Volatile.Write(ref killed, true);
            await Task.WhenAll(senders);
        }

        Assert.True(acknowledged.Count >= 300, $"only {acknowledged.Count} acknowledged before the kill");
        // The next host processes what the killed one acknowledged but had not processed yet.
        using var next = new AppFactory(dataDir: dir.Path);
        var stored = await Eventually.WaitAsync(
            async () => (await next.ApiClient().AllEventsAsync()).Select(e => e.GetProperty("deduplicationKey").GetString()!.Split(':')[^1]).ToHashSet(),
            keys => acknowledged.All(keys.Contains), TimeSpan.FromSeconds(60));
        Assert.Subset(stored, acknowledged.ToHashSet());
    }
}
