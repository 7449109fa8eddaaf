using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Scaling;

/// <summary>Destinations on MongoDB (jongodb) with two hosts sharing the work: every event forwarded once, conversations in order.</summary>
public sealed class TwoHostForwardingTests(Jongodb server) : IAsyncLifetime
{
    Receiver _receiver = null!;

    public async ValueTask InitializeAsync() => _receiver = await Receiver.StartAsync();
    public async ValueTask DisposeAsync() => await _receiver.DisposeAsync();

    [Fact]
    public async Task Forward_TwoHostsSharingTheWork_EachEventOnceAndEachConversationInOrder()
    {
        var uri = server.NewDatabaseUri();
        var settings = TwoHostTests.Settings(uri);
        settings["DESTINATIONS_ALLOW_PRIVATE"] = "true";
        using var a = new AppFactory(settings);
        using var b = new AppFactory(settings);
        var created = await a.ApiClient().PostAsJsonAsync("/api/destinations", new { name = "bot", url = _receiver.Url, ordering = "conversation" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await Task.Delay(TimeSpan.FromSeconds(5.5)); // host b learns of it within 5 s (its directory's refresh)
        var clients = new[] { a.CreateClient(), b.CreateClient() };

        for (var i = 0; i < 24; i++)
        {
            var body = Deliveries.Envelope(Deliveries.Message($"m{i:D2}", "x", sender: $"90000000{i % 3}"));
            Assert.Equal(HttpStatusCode.OK, (await clients[i % 2].SendAsync(Signing.SignedPost(body))).StatusCode);
        }

        var received = await Eventually.WaitAsync(() => Task.FromResult(_receiver.Requests.ToList()), r => r.Count >= 24, TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        var mids = _receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("payload").GetProperty("message").GetProperty("mid").GetString()!).ToList();
        Assert.Equal(24, mids.Distinct().Count());
        Assert.Equal(24, mids.Count);
        Assert.Equal(24, _receiver.Requests.Select(r => r.Headers["webhook-id"]).Distinct().Count());
        foreach (var sender in Enumerable.Range(0, 3))
        {
            var inConversation = mids.Where(m => int.Parse(m[1..]) % 3 == sender).ToList();
            Assert.Equal(inConversation.Order(StringComparer.Ordinal), inConversation);
        }
    }
}
