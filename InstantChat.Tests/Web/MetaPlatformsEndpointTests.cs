using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using InstantChat.Tests.Parsing;
using InstantChat.Tests.TestSupport;

namespace InstantChat.Tests.Web;

/// <summary>Messenger and WhatsApp through the real host: Meta's route for all three, the platform filter, stats, per-account secrets.</summary>
public sealed class MetaPlatformsEndpointTests : IDisposable
{
    const string MetaRoute = "/api/webhooks/meta";
    readonly AppFactory _app = new();
    public void Dispose() => _app.Dispose();

    async Task<HttpResponseMessage> PostAsync(string platform, string fixture, string path = MetaRoute, string secret = Signing.Secret) =>
        await _app.CreateClient().SendAsync(Signing.SignedPost(Fixture.Load(platform, fixture), secret, path: path));

    async Task<List<JsonElement>> EventsAsync(string query) =>
        [.. (await _app.ApiClient().GetJsonAsync($"/api/webhooks/events?{query}")).GetProperty("items").EnumerateArray()];

    [Fact]
    public async Task Verify_MetaRoute_EchoesChallengeLikeInstagrams()
    {
        var response = await _app.CreateClient().GetAsync($"{MetaRoute}?hub.mode=subscribe&hub.verify_token={AppFactory.VerifyToken}&hub.challenge=8675309");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("8675309", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await _app.CreateClient().GetAsync($"{MetaRoute}?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1")).StatusCode);
    }

    [Fact]
    public async Task Post_ThreePlatforms_EachEventCarriesItsPlatformAndTheListFiltersByIt()
    {
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Fixture.WhatsApp, "batch_messages_and_statuses")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Fixture.Messenger, "messages_text")).StatusCode);
        // The Instagram route takes the other platforms too (an app whose callback predates the Meta route).
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Fixture.Messenger, "feed_comment_add", path: "/api/webhooks/instagram")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Fixture.Instagram, "messages_text")).StatusCode);
        await _app.ProcessedAsync();

        var whatsapp = await EventsAsync("platform=whatsapp");
        Assert.Equal(4, whatsapp.Count);
        Assert.All(whatsapp, e => Assert.Equal("whatsapp", e.GetProperty("platform").GetString()));
        Assert.All(whatsapp, e => Assert.Equal("completed", e.GetProperty("processedStatus").GetString()));
        Assert.Equal(["feed", "messages"], (await EventsAsync("platform=messenger")).Select(e => e.GetProperty("eventType").GetString()).Order());
        Assert.Single(await EventsAsync("platform=instagram"));
        var kerry = whatsapp.Single(e => e.GetProperty("content").GetProperty("text").GetString() == "Is the store open on Sunday?");
        Assert.Equal(("16505551234", "106540352242922", "Kerry Fisher"),
            (kerry.GetProperty("senderId").GetString(), kerry.GetProperty("recipientId").GetString(), kerry.GetProperty("userInfo").GetProperty("fullName").GetString()));

        var stats = await _app.ApiClient().GetJsonAsync("/api/webhooks/stats");
        var byPlatform = stats.GetProperty("byPlatform");
        Assert.Equal((1, 2, 4), (byPlatform.GetProperty("instagram").GetInt32(), byPlatform.GetProperty("messenger").GetInt32(), byPlatform.GetProperty("whatsapp").GetInt32()));

        var thread = (await _app.ApiClient().GetJsonAsync("/api/conversations/106540352242922-16505551234/messages")).GetProperty("items");
        Assert.Equal("Is the store open on Sunday?", thread.EnumerateArray().Single(m => !m.GetProperty("fromBusiness").GetBoolean()).GetProperty("text").GetString());
        var delivered = thread.EnumerateArray().Single(m => m.GetProperty("fromBusiness").GetBoolean());
        Assert.Equal("delivered", delivered.GetProperty("deliveryStatus").GetString());
    }

    [Fact]
    public async Task List_UnknownPlatform_400NamingTheField()
    {
        var response = await _app.ApiClient().GetAsync("/api/webhooks/events?platform=telegram");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("instagram, messenger, whatsapp", (await response.JsonAsync()).GetProperty("errors").GetProperty("platform")[0].GetString());
    }

    [Fact]
    public async Task BulkRetry_UnknownPlatform_400NamingTheField()
    {
        var response = await _app.ApiClient().PostAsJsonAsync("/api/webhooks/events/retry", new { status = "failed", platform = "sms" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("platform", out _));
    }

    [Fact]
    public async Task Post_MetaRouteBadSignature_401AndNothingStored()
    {
        var request = Signing.SignedPost(Fixture.Load(Fixture.WhatsApp, "messages_text"), "not-the-secret", path: MetaRoute);

        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.CreateClient().SendAsync(request)).StatusCode);
        await _app.ProcessedAsync();
        Assert.Empty(await EventsAsync(""));
    }

    [Fact]
    public async Task Post_SignedWithAWhatsAppSubscriptionsSecret_OnlyItsOwnAccountIsAccepted()
    {
        var created = await _app.ApiClient().PostAsJsonAsync("/api/webhooks/subscriptions", new
        {
            platform = "whatsapp",
            instagramAccountId = "102290129340398",
            subscribedFields = new[] { "messages" },
            webhookConfig = new { secret = "waba-own-secret-0123456789" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("whatsapp", (await created.JsonAsync()).GetProperty("platform").GetString());

        Assert.Equal(HttpStatusCode.OK, (await PostAsync(Fixture.WhatsApp, "statuses_sent", secret: "waba-own-secret-0123456789")).StatusCode);
        // A Page's delivery signed with the WABA's secret: that secret does not vouch for the Page.
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(Fixture.Messenger, "messages_text", secret: "waba-own-secret-0123456789")).StatusCode);
        await _app.ProcessedAsync();

        var status = Assert.Single(await EventsAsync(""));
        Assert.Equal(("statuses", "completed"), (status.GetProperty("eventType").GetString(), status.GetProperty("processedStatus").GetString()));
    }

    [Fact]
    public async Task Subscription_FieldOfAnotherPlatform_400NamingTheField()
    {
        var response = await _app.ApiClient().PostAsJsonAsync("/api/webhooks/subscriptions", new
        {
            platform = "messenger",
            instagramAccountId = "106000000000001",
            subscribedFields = new[] { "comments" },
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Unknown fields for messenger: comments", (await response.JsonAsync()).GetProperty("errors").GetProperty("subscribedFields")[0].GetString());
    }

    [Fact]
    public async Task Post_MessengerSubscriptionWithoutEchoes_EchoSkippedCustomerMessageCompleted()
    {
        await _app.ApiClient().PostAsJsonAsync("/api/webhooks/subscriptions", new
        {
            platform = "messenger",
            instagramAccountId = "106000000000001",
            subscribedFields = new[] { "messages", "message_reads" },
        });

        await PostAsync(Fixture.Messenger, "messages_text");
        await PostAsync(Fixture.Messenger, "messages_echo");
        await _app.ProcessedAsync();

        var events = await EventsAsync("platform=messenger");
        Assert.Equal(["completed", "skipped"], events.Select(e => e.GetProperty("processedStatus").GetString()).Order());
        var echo = events.Single(e => e.GetProperty("processedStatus").GetString() == "skipped");
        Assert.Contains("message_echoes", echo.GetProperty("lastError").GetString());
    }
}
