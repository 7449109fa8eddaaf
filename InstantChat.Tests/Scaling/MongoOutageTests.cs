using System.Net;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Scaling;

/// <summary>MongoDB unreachable: the host starts, says it is not ready, and never acknowledges what it did not store.</summary>
public sealed class MongoOutageTests : IDisposable
{
    // Port 1 on loopback: nothing listens, connections are refused at once.
    readonly AppFactory _app = new(new() { ["MONGO_URI"] = "mongodb://127.0.0.1:1/down?serverSelectionTimeoutMS=300&connectTimeoutMS=300" });
    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Readyz_MongoUnreachable_Returns503WhileHealthzStays200()
    {
        var client = _app.CreateClient();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await client.GetAsync("/readyz")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }

    [Fact]
    public async Task Post_MongoUnreachable_Returns503NotA200()
    {
        var response = await _app.CreateClient().SendAsync(Signing.SignedPost(Deliveries.Envelope(Deliveries.Message("m1", "x"))));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
    }

    [Fact]
    public async Task EventsApi_MongoUnreachable_Returns503()
    {
        var response = await _app.ApiClient().GetAsync("/api/webhooks/events");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}
