using System.Net;
using System.Net.Http.Json;
using System.Text;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Ingest;

/// <summary>
/// App A's secret must never get an event into an account outside A's subscriptions, whatever the
/// body's shape: the accounts checked are those of the events stored (issue #14, item 1).
/// </summary>
public sealed class CrossAccountForgeryTests : IDisposable
{
    const string A1 = "17841400000000101", A2 = "17841400000000102", B = "17841400000000201", C = "17841400000000301";
    const string SecretA = "app-a-secret-0123456789", SecretB = "app-b-secret-0123456789";
    static readonly HashSet<string?> OwnedByA = [A1, A2, null];

    // No app secret: only subscription secrets sign, so every accepted body went through their check.
    // Hundreds of refusals from one test address are the point here, not a flood to throttle.
    readonly AppFactory _app = new(new() { ["INSTAGRAM_APP_SECRET"] = "", ["META_APP_SECRET"] = "", ["WEBHOOK_REFUSAL_LIMIT"] = "0" });
    public void Dispose() => _app.Dispose();

    async Task SubscribeAsync()
    {
        foreach (var (account, secret) in new[] { (A1, SecretA), (A2, SecretA), (B, SecretB) })
        {
            var response = await _app.ApiClient().PostAsJsonAsync("/api/webhooks/subscriptions", new
            {
                instagramAccountId = account,
                subscribedFields = new[] { "messages", "comments" },
                webhookConfig = new { secret },
            });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        }
    }

    Task<HttpResponseMessage> PostAsync(string json, string secret = SecretA) =>
        _app.CreateClient().SendAsync(Signing.SignedPost(Encoding.UTF8.GetBytes(json), secret));

    static string Entry(string id, string mid) =>
        $$$"""{"id":"{{{id}}}","time":1764000000,"messaging":[{"sender":{"id":"9001"},"recipient":{"id":"{{{id}}}"},"timestamp":1764000000000,"message":{"mid":"{{{mid}}}","text":"hi"}}]}""";

    [Fact]
    public async Task Post_SecondEntryKeyNamingAnotherAccount_Returns401AndStoresNothing()
    {
        await SubscribeAsync();
        var json = $$"""{"object":"instagram","entry":[{{Entry(A1, "m.a")}}],"entry":[{{Entry(B, "m.b")}}]}""";

        var response = await PostAsync(json);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await _app.ProcessedAsync();
        Assert.Empty(await _app.ApiClient().EventsAsync());
    }

    [Fact]
    public async Task Post_NonObjectEntryBeforeAnotherAccountsEntry_Returns401AndStoresNothing()
    {
        await SubscribeAsync();
        var json = $$"""{"object":"instagram","entry":[{{Entry(A1, "m.a")}},7,{{Entry(B, "m.b")}}]}""";

        var response = await PostAsync(json);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await _app.ProcessedAsync();
        Assert.Empty(await _app.ApiClient().EventsAsync());
    }

    [Fact]
    public async Task Post_OwnAccountsOnly_Returns200()
    {
        await SubscribeAsync();

        var response = await PostAsync($$"""{"object":"instagram","entry":[{{Entry(A1, "m.1")}},{{Entry(A2, "m.2")}}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await _app.ProcessedAsync();
        Assert.Equal(2, (await _app.ApiClient().EventsAsync()).Count);
    }

    [Fact]
    public async Task Post_GeneratedBodiesSignedWithAppA_NeverStoreAnEventOutsideA()
    {
        await SubscribeAsync();
        var random = new Random(20261130);
        var codes = new Dictionary<HttpStatusCode, int>();
        for (var i = 0; i < 400; i++)
        {
            var json = ForgeryBodies.Generate(random, i, own: [A1, A2], foreign: [B, C]);
            var response = await PostAsync(json);
            codes[response.StatusCode] = codes.GetValueOrDefault(response.StatusCode) + 1;
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Unauthorized, $"{response.StatusCode} for {json}");
        }

        await _app.ProcessedAsync();
        var events = await _app.ApiClient().AllEventsAsync();
        var outside = events.Where(e => !OwnedByA.Contains(e.GetProperty("accountId").GetString())).ToList();
        Assert.True(outside.Count == 0, $"stored for other accounts: {string.Join(", ", outside.Select(e => e.GetProperty("accountId").GetString()))}");
        // The generator must exercise both answers, or it proves nothing.
        Assert.True(codes.GetValueOrDefault(HttpStatusCode.OK) > 50, $"accepted: {codes.GetValueOrDefault(HttpStatusCode.OK)}");
        Assert.True(codes.GetValueOrDefault(HttpStatusCode.Unauthorized) > 50, $"refused: {codes.GetValueOrDefault(HttpStatusCode.Unauthorized)}");
    }
}
