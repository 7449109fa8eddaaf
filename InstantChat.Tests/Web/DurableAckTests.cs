using System.Net;
using InstantChat.Core.Storage;
using InstantChat.Core.Storage.Sqlite;
using InstantChat.Tests.TestSupport;
using Microsoft.Extensions.Options;

namespace InstantChat.Tests.Web;

/// <summary>A 200 means stored: whatever happens to the host after it, the events are there.</summary>
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
        Assert.Equal(2, (await second.ApiClient().EventsAsync()).Count);
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
        var database = new SqliteDatabase(Options.Create(new StorageOptions { DataDir = dir.Path }));
        using var writer = new SqliteWriter(database, Microsoft.Extensions.Logging.Abstractions.NullLogger<SqliteWriter>.Instance);
        var store = new SqliteEventStore(database, writer);
        var stored = (await store.ListAsync(new EventQuery(Limit: 500), CancellationToken.None)).Items
            .Select(e => e.DeduplicationKey.Split(':')[^1]).ToHashSet();
        Assert.Subset(stored, acknowledged.ToHashSet());
    }
}
