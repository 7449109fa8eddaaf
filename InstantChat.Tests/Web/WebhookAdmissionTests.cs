using System.Net;
using InstantChat.Tests.TestSupport;
using Microsoft.AspNetCore.Http;

namespace InstantChat.Tests.Web;

/// <summary>
/// An unsigned or mis-signed flood must not spend the rate budget of Meta's valid deliveries
/// (issue #14, item 12): only verified deliveries count against WEBHOOK_RATE_LIMIT, and refusals
/// are counted per source address.
/// </summary>
public sealed class WebhookAdmissionTests : IDisposable
{
    readonly AppFactory _app = new(new() { ["WEBHOOK_RATE_LIMIT"] = "5", ["WEBHOOK_WORKER_ENABLED"] = "false" });
    int _mid;

    public void Dispose() => _app.Dispose();

    async Task<int> PostAsync(string from, bool signed)
    {
        var body = Deliveries.Envelope(Deliveries.Message($"m.{Interlocked.Increment(ref _mid)}", "x"));
        var context = await _app.Server.SendAsync(c =>
        {
            c.Connection.RemoteIpAddress = IPAddress.Parse(from);
            c.Request.Method = "POST";
            c.Request.Path = "/api/webhooks/instagram";
            c.Request.ContentType = "application/json";
            c.Request.Headers["X-Hub-Signature-256"] = Signing.Header(body, signed ? Signing.Secret : "not-the-secret");
            c.Request.Body = new MemoryStream(body);
        });
        return context.Response.StatusCode;
    }

    [Fact]
    public async Task Post_MisSignedFloodOverTheLimit_ValidDeliveriesStillAccepted()
    {
        var flood = new List<int>();
        var valid = new List<int>();
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 10; i++) flood.Add(await PostAsync("203.0.113.9", signed: false));
            valid.Add(await PostAsync("198.51.100.1", signed: true));
        }

        Assert.All(flood, s => Assert.Equal(StatusCodes.Status401Unauthorized, s));
        Assert.All(valid, s => Assert.Equal(StatusCodes.Status200OK, s));
    }

    [Fact]
    public async Task Post_AddressPastItsRefusals_Gets429OthersUnaffected()
    {
        for (var i = 0; i < 50; i++) Assert.Equal(StatusCodes.Status401Unauthorized, await PostAsync("203.0.113.9", signed: false));

        Assert.Equal(StatusCodes.Status429TooManyRequests, await PostAsync("203.0.113.9", signed: true));
        Assert.Equal(StatusCodes.Status200OK, await PostAsync("198.51.100.1", signed: true));
    }
}
